# Reboot latency against guest size: medians with p5..p95 bars, one line per mode (sync,
# async, floor, floor_loaded) and one panel per configuration when a run (a sweep) varies more than the
# size and mode: every varying column (placement, guests, load, cleanup threads, vCPUs,
# backing, ...) gets its own panel, named in the panel's title; the columns that do not vary
# are under the figure's title. The panels share their axes.
#
#   gnuplot -c plots/reboot_latency.gp DIR [png|svg]     writes DIR/reboot_latency.png|svg
#
# Input: DIR/summary.csv, columns found by name; reshaped by lib/reboot_latency.awk.

name = "reboot_latency"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

npanel = 0; nblock = 0; common = ""; backend = ""
xmin = 1; xmax = 1; ymin = 1; ymax = 1
input = "summary.csv"
awk_files = "csv.awk facets.awk panels.awk reboot_latency.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

panel_w = 620; panel_h = 430; maxcols = 3; head = 110
load lib."/panels.gnuplot"

emulated = strstrt(backend, "pv-emulated") > 0
title = "Reboot latency vs guest size: ".backend.(emulated ? " (EMULATED MODEL)" : "") \
	."\nmedian, bars p5–p95".(common ne "" ? "\n".common : "")
mode_color(m) = m eq "sync" ? "#d62728" : m eq "async" ? "#1f77b4" : \
	m eq "floor_loaded" ? "#9467bd" : "#555555"
mode_point(m) = m eq "sync" ? 7 : m eq "async" ? 5 : m eq "floor_loaded" ? 11 : 9
# Modes side by side around each size (in octaves) so that their bars stay apart.
dodge(m) = 2 ** (0.03 * (m eq "sync" ? -1 : m eq "async" ? 0 : m eq "floor" ? 1 : 2))

if (ymin <= 0) { ymin = ymax / 1000 }
set logscale x 2
set xrange [xmin / 1.5 : xmax * 1.5]
set xlabel "guest memory size"
set logscale y 10
set ytics (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, \
	1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000)
set format y "%g"
set mytics 10
set ylabel "reboot latency (ms, log scale)"
set yrange [ymin / 1.6 : ymax * 1.6]
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key top left Left reverse samplen 3 spacing 1.1 box lc rgb "#c0c0c0" opaque
set pointsize 1.0
set bars 1.5

set multiplot layout prows, pcols title title font ",13" \
	margins 80.0 / width, 1 - 40.0 / width, 60.0 / height, 1 - head_frac \
	spacing 100.0 / width, 130.0 / height
do for [p = 1:npanel] {
	set title ptitle[p] font ",12"
	plot for [b = bfirst[p]:blast[p]] $data index (b - 1) using ($1 * dodge(bmode[b])):2:3:4 \
			with yerrorbars lw 1.5 lc rgb mode_color(bmode[b]) pt mode_point(bmode[b]) \
			notitle, \
		for [b = bfirst[p]:blast[p]] $data index (b - 1) using ($1 * dodge(bmode[b])):2 \
			with linespoints lw 2 lc rgb mode_color(bmode[b]) pt mode_point(bmode[b]) \
			title bmode[b]
}
unset multiplot
