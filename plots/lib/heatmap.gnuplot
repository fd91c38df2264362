# The body of the heatmap_*.gp scripts: a placement x size grid of one summary.csv metric.
# The caller sets argc, arg1, arg2 (its ARGC, ARG1, ARG2), lib (this directory), name,
# metric, mode, kind ("time": medians in ms, coloured by their ratio to the best placement
# at each size; "ratio": the value itself, 1 = best) and what (the title), then loads this
# file. Skips (exit 0, no file, one line on stderr) when summary.csv lacks
# the rows or has a single placement.

nsize = 0; nplace = 0; cb_lo = 1; cb_hi = 2; slice = ""; not_shown = ""; backend = ""
input = "summary.csv"
awk_files = "csv.awk heatmap.awk"
awk_vars = "-v metric=".metric." -v mode=".mode." -v kind=".kind
load lib."/prologue.gnuplot"

width = 260 + nsize * 150
width = width < 800 ? 800 : width > 2400 ? 2400 : width
height = 260 + nplace * 80
height = height < 500 ? 500 : height > 1600 ? 1600 : height
set encoding utf8
if (fmt eq "svg") {
	set terminal svg size width,height dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size width,height font "DejaVu Sans,11" noenhanced
}
set output dir."/".name.".".fmt

emulated = strstrt(backend, "pv-emulated") > 0
sub1 = backend.(emulated ? " (EMULATED MODEL)" : "").(slice ne "" ? ", ".slice : "")
sub2 = kind eq "ratio" ? "median; 1 = no slowdown" : \
	"median ms; colour and ×: against the best placement at each size"
if (not_shown ne "") { sub2 = sub2."\nother values of ".not_shown." are in summary.csv, not shown" }
set title what."\n".sub1."\n".sub2 font ",12"

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
set colorbox user origin screen 0.9, screen 0.2 size screen 0.02, screen 0.55
set rmargin at screen 0.86

plot $data using 1:($6 == 0 ? $2 : NaN):(0.48):(0.48):3 with boxxyerror fs solid 1.0 noborder \
		lc palette, \
	'' using 1:($6 == 0 ? NaN : $2):(0.48):(0.48) with boxxyerror fs solid 1.0 noborder \
		lc rgb "#e8e8e8", \
	'' using 1:($2 + (kind eq "ratio" ? 0 : 0.1)):4 with labels font ",12", \
	'' using 1:($2 - 0.18):5 with labels font ",9" tc rgb "#404040"
