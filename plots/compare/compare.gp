# A comparison of two runs (pvbench compare BASE NEW --plot DIR): per metric a panel of the
# ratio of medians NEW / BASE for every matched point and mode (log y, a dashed line at 1),
# its 95 % bootstrap CI as bars, the threshold band 1 +- threshold shaded, and the verdict as
# the colour and marker (grey circle same, green triangle down faster, red triangle up
# slower; an open marker has no CI: too few reboots). Every point is named on the x axis and
# its ratio written beside it. Not one of the plots/*.gp that `pvbench plot DIR` runs on a
# results directory: its input is written by `pvbench compare --plot`.
#
#   gnuplot -c plots/compare/compare.gp DIR [png|svg]     writes DIR/compare.png|svg
#
# Input: DIR/compare.csv, columns found by name; reshaped by compare.awk (beside this file)
# with ../lib/csv.awk.

name = "compare"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
here = ARG0
p = strlen(here)
while (p > 0 && here[p:p] ne "/") { p = p - 1 }
here = (p > 0 ? here[1:p] : "./")
lib = here."../lib"

npanel = 0; ncat = 1; noci = 0; threshold = 0.05
alpha = ""; resamples = ""; seed = ""; base = ""; new = ""
input = "compare.csv"
awk_files = "csv.awk ../compare/compare.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

# One panel per metric, stacked, all on the same x positions.
panel_w = 260 + ncat * 120; panel_h = 300; maxcols = 1; head = 160
panel_w = panel_w < 800 ? 800 : panel_w
load lib."/panels.gnuplot"
place(p) = sprintf("set lmargin at screen %g; set rmargin at screen %g; " \
	."set tmargin at screen %g; set bmargin at screen %g", \
	100.0 / width, (width - 150.0) / width, \
	1 - (head + (p - 1) * panel_h + 40.0) / height, \
	1 - (head + p * panel_h - 55.0) / height)

pct = sprintf("%g", 100 * threshold)
title = "pvbench compare: ratio of medians NEW / BASE per point\n" \
	."BASE ".base."\nNEW ".new."\n" \
	."bars: 95 % percentile-bootstrap CI (".resamples." resamples, seed ".seed \
	."); shaded: the ±".pct." % threshold\n" \
	."faster or slower needs a two-sided Mann-Whitney p < ".alpha." and a ratio beyond the band"

set logscale y 10
set format y "%g"
# Tics for a wide range (a ratio of 5), a middle one or a narrow one (a few per cent).
TICS_WIDE = "set ytics (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, " \
	."100, 200, 500, 1000)"
TICS_MID = "set ytics (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4)"
TICS_NARROW = "set ytics (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4)"
yspan(p) = pymax[p] / pymin[p]
set ylabel "NEW / BASE (log scale)"
set xrange [-0.6 : ncat - 0.4]
set xtics scale 0 font ",10" noenhanced
set grid ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key outside right top vertical Left reverse samplen 1.5 spacing 1.1 font ",10"
set pointsize 1.4
set bars 2
set style textbox opaque noborder margins 1, 1
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead back dt 2 lw 1.5 lc rgb "#606060"

C_SAME = "#7f7f7f"; C_FASTER = "#2ca02c"; C_SLOWER = "#d62728"
vtext(x) = x >= 10 ? sprintf("%.0f×", x) : sprintf("%.3g×", x)
sel(v, code, ci) = (v == code && ci > 0) ? 1 : NaN
noci_sel(ci) = ci > 0 ? NaN : 1
vcolor(v) = v == 1 ? 0x2ca02c : v == 2 ? 0xd62728 : 0x7f7f7f

set multiplot title title font ",12"
do for [p = 1:npanel] {
	eval place(p)
	set title ptitle[p] font ",11"
	set yrange [pymin[p] : pymax[p]]
	eval (yspan(p) > 3 ? TICS_WIDE : yspan(p) > 1.4 ? TICS_MID : TICS_NARROW)
	set object 1 rect from graph 0, first (1 - threshold) to graph 1, first (1 + threshold) \
		fc rgb "#fff2cc" fs solid 1.0 noborder behind
	k = p == 1
	plot $data index (p - 1) using 1:($2 * sel($6, 0, $5)):3:4 with yerrorbars lw 1.5 \
			lc rgb C_SAME pt 7 title (k ? "same" : ""), \
		'' index (p - 1) using 1:($2 * sel($6, 1, $5)):3:4 with yerrorbars lw 1.5 \
			lc rgb C_FASTER pt 11 title (k ? "faster" : ""), \
		'' index (p - 1) using 1:($2 * sel($6, 2, $5)):3:4 with yerrorbars lw 1.5 \
			lc rgb C_SLOWER pt 9 title (k ? "slower" : ""), \
		'' index (p - 1) using 1:($2 * noci_sel($5)):(vcolor($6)) with points lw 1.5 \
			lc rgb variable pt 6 title (k && noci > 0 ? "no CI (n < 6)" : ""), \
		'' index (p - 1) using 1:2:(vtext($2)) with labels boxed left offset 1.2, 0.6 \
			font ",9" tc rgb "#303030" notitle, \
		NaN with boxes fs solid 1.0 lc rgb "#fff2cc" title (k ? "±".pct." %" : "")
}
unset multiplot
