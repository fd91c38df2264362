# The empirical distribution (CDF) of reboot latency: one panel per guest size (and per
# configuration when a sweep varies more than size and mode: placement, guests, load, ...,
# named in the panel's title), one step line per mode (sync, async, floor, floor_loaded) with
# its n and median in the key; log x axis. Where a line rises steeply the latency is steady; a long
# tail to the right is the slow reboots the median hides.
#
#   gnuplot -c plots/reboot_cdf.gp DIR [png|svg]     writes DIR/reboot_cdf.png|svg
#
# Input: DIR/iterations.csv, columns found by name; reshaped by lib/reboot_cdf.awk.

name = "reboot_cdf"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

npanel = 0; nblock = 0; nsizes = 1; common = ""; backend = ""
input = "iterations.csv"
awk_files = "csv.awk facets.awk panels.awk reboot_cdf.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

panel_w = 560; panel_h = 420; maxcols = nsizes <= 4 ? nsizes : 4; head = 110
load lib."/panels.gnuplot"

emulated = strstrt(backend, "pv-emulated") > 0
title = "Reboot latency distribution (empirical CDF): ".backend \
	.(emulated ? " (EMULATED MODEL)" : "").(common ne "" ? "\n".common : "")
mode_color(m) = m eq "sync" ? "#d62728" : m eq "async" ? "#1f77b4" : \
	m eq "floor_loaded" ? "#9467bd" : "#555555"
mode_dash(m) = m eq "sync" ? 1 : m eq "async" ? 1 : 2

set logscale x 10
set format x "%g"
set mxtics 10
set xlabel "reboot latency (ms, log scale)"
# The key above y = 1, where no line goes.
set yrange [0 : 1.42]
set ytics 0, 0.25, 1
set ylabel "fraction of reboots ≤ x"
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key top left Left reverse samplen 2 spacing 1.0 font ",10"
set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead back dt 3 lc rgb "#909090"

set multiplot layout prows, pcols title title font ",13" \
	margins 90.0 / width, 1 - 40.0 / width, 60.0 / height, 1 - head_frac \
	spacing 100.0 / width, 100.0 / height
do for [p = 1:npanel] {
	set title ptitle[p] font ",12"
	plot for [b = bfirst[p]:blast[p]] $data index (b - 1) using 1:2 with steps lw 2 \
		lc rgb mode_color(bmode[b]) dt mode_dash(bmode[b]) title btitle[b]
}
unset multiplot
