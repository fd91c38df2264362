# The speedup of asynchronous destroy: median sync reboot latency / median async reboot
# latency against guest size, with the 95 % bootstrap confidence interval of that ratio as
# error bars; one line per configuration when a run (a sweep) varies more than size and mode
# (placement, guests, load, backing, vCPUs, ..., named in the key). A point whose interval
# speedup.csv leaves empty (too few reboots for an honest one) is an open marker without
# bars, and the key says so. Above the dashed line at 1, async reboots faster.
#
#   gnuplot -c plots/speedup.gp DIR [png|svg]     writes DIR/speedup.png|svg
#
# Input: DIR/speedup.csv (written with summary.csv), columns found by name; reshaped by
# lib/speedup.awk. Without speedup.csv, or without a point that has both modes, it writes
# nothing and says why on stderr.

name = "speedup"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

nseries = 0; noci = 0; withci = 0; ymin = 1; ymax = 1; xmin = 1; xmax = 1
resamples = ""; seed = ""; common = ""; backend = ""
input = "speedup.csv"
skip_missing = "no speedup.csv (pvbench summarize DIR writes it)"
awk_files = "csv.awk facets.awk speedup.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

set encoding utf8
if (fmt eq "svg") {
	set terminal svg size 1000,620 dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size 1000,620 font "DejaVu Sans,11" noenhanced
}
set output out_file

emulated = strstrt(backend, "pv-emulated") > 0
how = withci > 0 ? "bars: 95 % percentile-bootstrap CI of the ratio (".resamples \
	." resamples, seed ".seed.")" : "no point has a 95 % CI"
set title "Speedup of async destroy: sync / async reboot median, ".backend \
	.(emulated ? " (EMULATED MODEL)" : "")."\n".how.(common ne "" ? "\n".common : "") font ",12"

set logscale x 2
set xrange [xmin / 1.5 : xmax * 1.5]
set xlabel "guest memory size"
lo = ymin < 1 ? ymin : 1
hi = ymax > 1 ? ymax : 1
if (hi / lo > 8) {
	set logscale y 10
	set yrange [lo / 1.5 : hi * 1.5]
	set ytics (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
	set ylabel "speedup sync / async (×, log scale)"
} else {
	set yrange [0 : hi * 1.15]
	set ylabel "speedup sync / async (×)"
}
set format y "%g"
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key outside below center horizontal Left reverse samplen 3 spacing 1.2 width 2 maxrows 4
set pointsize 1.2
set bars 1.5
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead back dt 2 lw 1.5 lc rgb "#808080"
set label 1 "1 = no speedup" at graph 0.01, first 1 offset 0, 0.6 tc rgb "#808080" font ",9"

COLORS = "#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #7f7f7f #bcbd22"
color(i) = word(COLORS, (i - 1) % words(COLORS) + 1)
POINTS = "7 5 9 11 13 15"
OPEN = "6 4 8 10 12 14"
pt_full(i) = int(word(POINTS, (i - 1) % words(POINTS) + 1))
pt_open(i) = int(word(OPEN, (i - 1) % words(OPEN) + 1))
# Series side by side around each size (in octaves) so that their bars stay apart.
dodge(i) = 2 ** (0.03 * (i - (nseries + 1) / 2.0))
vtext(x) = x >= 10 ? sprintf("%.0f×", x) : sprintf("%.3g×", x)
noci_title = "open marker: no 95 % CI (too few reboots)"

plot for [i = 1:nseries] $data index (i - 1) using ($1 * dodge(i)):2 with lines lw 2 \
		lc rgb color(i) notitle, \
	for [i = 1:nseries] NaN with linespoints lw 2 lc rgb color(i) pt pt_full(i) title stitle[i], \
	for [i = 1:nseries] $data index (i - 1) using ($1 * dodge(i)):($5 > 0 ? $2 : NaN):3:4 \
		with yerrorbars lw 1.5 lc rgb color(i) pt pt_full(i) notitle, \
	for [i = 1:nseries] $data index (i - 1) using ($1 * dodge(i)):($5 > 0 ? NaN : $2) \
		with points lw 1.5 lc rgb color(i) pt pt_open(i) notitle, \
	for [i = 1:nseries] $data index (i - 1) using ($1 * dodge(i)):2:(nseries <= 3 ? vtext($2) : "") \
		with labels left offset 0.8, 0.5 font ",9" tc rgb color(i) notitle, \
	NaN with points pt 6 lc rgb "#404040" title (noci > 0 ? noci_title : "")
