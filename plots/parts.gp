# Where the create and the cleanup spend their time: their sub-phases (create_*_ns,
# cleanup_*_ns, which tile their phase), medians per size and mode (sync, async, floor,
# floor_loaded) on log scales, side by side, with the phase's own median as a black bar over
# each group. Above: the create (guest memory mapped, advice and memory policy, memslots, VM
# and vCPUs, payload); below: the cleanup (vCPUs, memslots, VM, scrub, release). A run that
# varies more than size and mode gets a panel pair per configuration, named in its title. A
# part that took no time has no bar; a run from before the sub-phases is skipped, said why.
#
#   gnuplot -c plots/parts.gp DIR [png|svg]     writes DIR/parts.png|svg
#
# Input: DIR/summary.csv, columns found by name; reshaped by lib/parts.awk.

name = "parts"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

npanel = 0; nsize = 1; xmax = 1; ymin = 1; ymax = 1; common = ""; backend = ""
input = "summary.csv"
awk_files = "csv.awk facets.awk groups.awk parts.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

# A panel pair per facet, in at most 3 columns; placed by hand (screen coordinates) so that
# every panel has room for its title above and its two rows of x labels below.
panel_w = 200 + nsize * 330; panel_h = 330; maxcols = 3; head = 80
panel_w = panel_w < 700 ? 700 : panel_w
load lib."/panels.gnuplot"
height = 2 * prows * panel_h + head
height = height > 4000 ? 4000 : height
if (fmt eq "svg") {
	set terminal svg size width,height dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size width,height font "DejaVu Sans,11" noenhanced
}
set output out_file
# Panel k (1 top, 2 bottom) of facet p: its margins.
pcol(p) = (p - 1) % pcols
prow(p) = int((p - 1) / pcols)
place(p, k) = sprintf("set lmargin at screen %g; set rmargin at screen %g; " \
	."set tmargin at screen %g; set bmargin at screen %g", \
	(pcol(p) * panel_w + 90.0) / width, ((pcol(p) + 1) * panel_w - 30.0) / width, \
	1 - (head + (2 * prow(p) + k - 1) * panel_h + 60.0) / height, \
	1 - (head + (2 * prow(p) + k) * panel_h - 60.0) / height)

emulated = strstrt(backend, "pv-emulated") > 0
title = "Reboot phases: ".backend.(emulated ? " (EMULATED MODEL)" : "") \
	."\nmedians, log scales".(common ne "" ? "\n".common : "")

emulated = strstrt(backend, "pv-emulated") > 0
title = "Sub-phases of the create and the cleanup: ".backend.(emulated ? " (EMULATED MODEL)" : "") \
	."\nmedians, log scales".(common ne "" ? "\n".common : "")

set logscale y 10
set yrange [ymin / 2 : ymax * 40]
set ytics (0.0001, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000, 100000, 1000000)
set mytics 10
set format y "%g"
set ylabel "ms (median, log scale)"
set xrange [-0.7 : xmax + 0.7]
set xtics scale 0 font ",10"
set grid ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key inside top left horizontal Left reverse samplen 1.5 spacing 1.0 width 1 font ",10"
set style fill solid 0.9 border lc rgb "#303030"
ybase = ymin / 2
w = 0.16
bar(x, k) = x + (k - 3) * w
pos(v) = v > 0 ? v : NaN
# A value's label: empty, at the bottom, when it has no bar (not NaN: gnuplot 5.4 crashes on a
# labels plot with no defined point in fixed ranges)
laby(v) = v > 0 ? v : ybase
total_txt(v) = v <= 0 ? "" : v >= 100 ? sprintf("%.0f", v) : v >= 1 ? sprintf("%.3g", v) : \
	sprintf("%.2g", v)
C1 = 0x9467bd; C2 = 0x8c564b; C3 = 0xe377c2; C4 = 0x2ca02c; C5 = 0x1f77b4
array cname[5] = ["mmap", "advise", "memslot", "vm", "load"]
array xname[5] = ["vcpu", "vm", "memslot", "scrub", "release"]
color(k) = k == 1 ? C1 : k == 2 ? C2 : k == 3 ? C3 : k == 4 ? C4 : C5

set multiplot title title font ",13"
do for [p = 1:npanel] {
	do for [half = 1:2] {
		eval place(p, half)
		set title (ptitle[p] ne "" ? ptitle[p]."\n" : "") \
			.(half == 1 ? "create: its parts and the create (black)" : \
			"cleanup: its parts and the cleanup (black)") font ",11"
		b = 2 * (p - 1) + half - 1
		plot for [k = 1:5] $data index b using (bar($1, k)):(pos(column(k + 1))): \
				(bar($1, k) - w / 2):(bar($1, k) + w / 2):(ybase):(pos(column(k + 1))) \
				with boxxyerror lc rgb color(k) title (half == 1 ? cname[k] : xname[k]), \
			'' index b using 1:(pos($7)):($1 - 2.7 * w):($1 + 2.7 * w):(pos($7)):(pos($7)) \
				with boxxyerror lw 3 lc rgb "black" title (half == 1 ? "create" : "cleanup"), \
			'' index b using 1:(laby($7)):(total_txt($7)) with labels offset 0, 0.7 \
				font ",9" notitle
	}
}
unset multiplot
