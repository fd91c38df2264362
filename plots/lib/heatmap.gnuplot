# The body of the heatmap_*.gp scripts: placement x size grids of one summary.csv metric,
# one panel per configuration of the other key columns (cleanup threads, guests, load, ...,
# named in the panel's title), sharing one colour scale. The caller sets argc, arg1, arg2
# (its ARGC, ARG1, ARG2), lib (this directory), name, metric, mode, kind ("time": medians in
# ms, coloured by their ratio to the best placement at each size in the panel; "ratio": the
# value itself, 1 = best) and what (the title), then loads this file. Skips (exit 0, no file,
# one line on stderr) when summary.csv lacks the rows or has a single placement.

nsize = 0; nplace = 0; npanel = 0; cb_lo = 1; cb_hi = 2; common = ""; backend = ""
input = "summary.csv"
awk_files = "csv.awk facets.awk heatmap.awk"
awk_vars = "-v metric=".metric." -v mode=".mode." -v kind=".kind
load lib."/prologue.gnuplot"

panel_w = 240 + nsize * 140
panel_w = panel_w < 560 ? 560 : panel_w
panel_h = 150 + nplace * 70
panel_h = panel_h < 360 ? 360 : panel_h
maxcols = 3; head = 110
load lib."/panels.gnuplot"
# Room on the right for the colour box.
width = width + 130
if (fmt eq "svg") {
	set terminal svg size width,height dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size width,height font "DejaVu Sans,11" noenhanced
}
set output out_file

emulated = strstrt(backend, "pv-emulated") > 0
sub1 = backend.(emulated ? " (EMULATED MODEL)" : "").(common ne "" ? ", ".common : "")
sub2 = kind eq "ratio" ? "median; 1 = no slowdown" : \
	"median ms; colour and ×: against the best placement at each size (in its panel)"
title = what."\n".sub1."\n".sub2

set xrange [0.5 : nsize + 0.5]
set yrange [0.5 : nplace + 0.5]
set xlabel "guest memory size"
set ylabel "cleanup thread placement"
set tics nomirror out scale 0
set border 0
unset key
set cbrange [cb_lo : cb_hi]
if (kind eq "ratio") {
	set palette defined (0 "#d7301f", 0.5 "#fc8d59", 1 "#fff7ec")
	set cblabel "ratio (median)"
} else {
	set palette defined (0 "#fff7ec", 0.5 "#fdbb84", 1 "#e34a33")
	set cblabel "median / best placement's median"
}
unset colorbox

# Panel p's margins (screen coordinates), row by row; the colour box right of the grid.
grid_w = width - 130
pcol(p) = (p - 1) % pcols
prow(p) = int((p - 1) / pcols)
place(p) = sprintf("set lmargin at screen %g; set rmargin at screen %g; " \
	."set tmargin at screen %g; set bmargin at screen %g", \
	(pcol(p) * panel_w + 150.0) / width, ((pcol(p) + 1) * panel_w - 10.0) / width, \
	1 - (head + prow(p) * panel_h + 40.0) / height, \
	1 - (head + (prow(p) + 1) * panel_h - 60.0) / height)

set multiplot title title font ",12"
do for [p = 1:npanel] {
	eval place(p)
	set title ptitle[p] font ",12"
	if (p == npanel) {
		set colorbox user origin screen (grid_w + 20.0) / width, screen 0.2 \
			size screen 20.0 / width, screen 0.55
	}
	plot $data index (p - 1) using 1:($6 == 0 ? $2 : NaN):(0.48):(0.48):3 with boxxyerror \
			fs solid 1.0 noborder lc palette, \
		'' index (p - 1) using 1:($6 == 0 ? NaN : $2):(0.48):(0.48) with boxxyerror \
			fs solid 1.0 noborder lc rgb "#e8e8e8", \
		'' index (p - 1) using 1:($2 + (kind eq "ratio" ? 0 : 0.1)):4 with labels font ",12", \
		'' index (p - 1) using 1:($2 - 0.18):5 with labels font ",9" tc rgb "#404040"
}
unset multiplot
