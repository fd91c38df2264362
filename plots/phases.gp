# Where a reboot's time goes, per size and mode (sync, async), on log scales so that the
# async phases (milliseconds beside a sync teardown of seconds) stay visible. Two panels per
# configuration: above, the critical-path phases stop, teardown, create and start side by
# side, with the reboot median (request to new guest alive) as a black bar over each group
# and its value; below, the cleanup of the old guest (in the background when async) and the
# populate of the new one. A run that varies more than size and mode (a sweep: placement,
# guests, load, ...) gets a panel pair per configuration, named in its title. A phase not
# measured has no bar.
#
#   gnuplot -c plots/phases.gp DIR [png|svg]     writes DIR/phases.png|svg
#
# Input: DIR/summary.csv, columns found by name; reshaped by lib/phases.awk.

name = "phases"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

npanel = 0; nsize = 1; xmax = 1; ymin = 1; ymax = 1; common = ""; backend = ""
input = "summary.csv"
awk_files = "csv.awk facets.awk groups.awk phases.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

# A panel pair per facet, in at most 3 columns; placed by hand (screen coordinates) so that
# every panel has room for its title above and its two rows of x labels below.
panel_w = 200 + nsize * 190; panel_h = 330; maxcols = 3; head = 80
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

set logscale y 10
# Headroom above the bars for the key.
set yrange [ymin / 2 : ymax * 40]
set ytics (0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000, 100000, 1000000)
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
w = 0.19
bar(x, k, n) = x + (k - (n + 1) / 2.0) * w
pos(v) = v > 0 ? v : NaN
# A value's label: empty, at the bottom, when it has no bar (not NaN: gnuplot 5.4 crashes on a
# labels plot with no defined point in fixed ranges)
laby(v) = v > 0 ? v : ybase
total_txt(v) = v <= 0 ? "" : v >= 100 ? sprintf("%.0f", v) : v >= 1 ? sprintf("%.3g", v) : \
	sprintf("%.2g", v)
PH_STOP = 0x9467bd; PH_TEARDOWN = 0xd62728; PH_CREATE = 0x2ca02c; PH_START = 0x1f77b4

set multiplot title title font ",13"
do for [p = 1:npanel] {
	eval place(p, 1)
	set title (ptitle[p] ne "" ? ptitle[p]."\n" : "")."critical path: phases and the reboot (black)" \
		font ",11"
	plot $data index (p - 1) using (bar($1, 1, 4)):(pos($2)):(bar($1, 1, 4) - w / 2): \
			(bar($1, 1, 4) + w / 2):(ybase):(pos($2)) with boxxyerror lc rgb PH_STOP title "stop", \
		'' index (p - 1) using (bar($1, 2, 4)):(pos($3)):(bar($1, 2, 4) - w / 2): \
			(bar($1, 2, 4) + w / 2):(ybase):(pos($3)) with boxxyerror lc rgb PH_TEARDOWN \
			title "teardown", \
		'' index (p - 1) using (bar($1, 3, 4)):(pos($4)):(bar($1, 3, 4) - w / 2): \
			(bar($1, 3, 4) + w / 2):(ybase):(pos($4)) with boxxyerror lc rgb PH_CREATE \
			title "create", \
		'' index (p - 1) using (bar($1, 4, 4)):(pos($5)):(bar($1, 4, 4) - w / 2): \
			(bar($1, 4, 4) + w / 2):(ybase):(pos($5)) with boxxyerror lc rgb PH_START \
			title "start", \
		'' index (p - 1) using 1:(pos($6)):($1 - 2.2 * w):($1 + 2.2 * w):(pos($6)):(pos($6)) \
			with boxxyerror lw 3 lc rgb "black" title "reboot", \
		'' index (p - 1) using 1:(laby($6)):(total_txt($6)) with labels offset 0, 0.7 \
			font ",9" notitle
	eval place(p, 2)
	set title (ptitle[p] ne "" ? ptitle[p]."\n" : "") \
		."cleanup (in the background when async) and populate" font ",11"
	plot $data index (p - 1) using (bar($1, 1, 2)):(pos($7)):(bar($1, 1, 2) - w):(bar($1, 1, 2) + w): \
			(ybase):(pos($7)) with boxxyerror lc rgb 0xff7f0e title "cleanup", \
		'' index (p - 1) using (bar($1, 2, 2) + w):(pos($8)):(bar($1, 2, 2)):(bar($1, 2, 2) + 2 * w): \
			(ybase):(pos($8)) with boxxyerror lc rgb 0x17becf title "populate", \
		'' index (p - 1) using (bar($1, 1, 2)):(laby($7)):(total_txt($7)) with labels \
			offset 0, 0.6 font ",8" notitle, \
		'' index (p - 1) using (bar($1, 2, 2) + w):(laby($8)):(total_txt($8)) with labels \
			offset 0, 0.6 font ",8" notitle
}
unset multiplot
