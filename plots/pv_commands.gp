# The protected-guest commands against guest size (pv backends): sync DISABLE, async
# PREPARE, async PERFORM (on the cleanup thread), the DISABLE of async reboots whose PREPARE
# was refused (fallback), and ENABLE+SET_SEC_PARMS+UNPACK+VERIFY. Medians, bars p5..p95; one
# panel per configuration when a run (a sweep) varies more than size and mode (placement,
# guests, load, ..., named in the panel's title).
#
#   gnuplot -c plots/pv_commands.gp DIR [png|svg]     writes DIR/pv_commands.png|svg
#
# Input: DIR/summary.csv, columns found by name; reshaped by lib/pv_commands.awk. A run
# without these metrics (kvm backend) draws nothing and says so on stderr, exit 0.

name = "pv_commands"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

npanel = 0; nblock = 0; common = ""; backend = ""; fallbacks = ""
xmin = 1; xmax = 1; ymin = 1; ymax = 1
input = "summary.csv"
awk_files = "csv.awk facets.awk panels.awk pv_commands.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

panel_w = 680; panel_h = 460; maxcols = 3; head = 125
load lib."/panels.gnuplot"

emulated = strstrt(backend, "pv-emulated") > 0
title = "Protected-guest commands vs guest size: ".backend.(emulated ? " (EMULATED MODEL)" : "") \
	."\nmedians, bars p5–p95".(fallbacks ne "" ? "; PREPARE refused, DISABLE instead: " \
	.fallbacks : "").(common ne "" ? "\n".common : "")
label(s) = s eq "sync_disable" ? "sync: KVM_PV_DISABLE" : \
	s eq "async_prepare" ? "async: PREPARE (critical path)" : \
	s eq "async_perform" ? "async: PERFORM (cleanup thread)" : \
	s eq "async_disable" ? "async: DISABLE after a refused PREPARE" : \
	"ENABLE+SET_SEC_PARMS+UNPACK+VERIFY"
color(s) = s eq "sync_disable" ? "#d62728" : s eq "async_prepare" ? "#1f77b4" : \
	s eq "async_perform" ? "#2ca02c" : s eq "async_disable" ? "#ff7f0e" : "#7f7f7f"

if (ymin <= 0) { ymin = ymax / 1000 }
set logscale x 2
set xrange [xmin / 1.5 : xmax * 1.5]
set xlabel "guest memory size"
set logscale y 10
# Headroom above the lines for the key.
set yrange [ymin / 1.6 : ymax * 30]
set format y "%g"
set ylabel "ms (log scale)"
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key top left Left reverse samplen 3 spacing 1.0 font ",10"
set bars 1.5

set multiplot layout prows, pcols title title font ",13" \
	margins 80.0 / width, 1 - 40.0 / width, 60.0 / height, 1 - head_frac \
	spacing 100.0 / width, 130.0 / height
do for [p = 1:npanel] {
	set title ptitle[p] font ",12"
	plot for [b = bfirst[p]:blast[p]] $data index (b - 1) using 1:2:3:4 with yerrorbars \
			lc rgb color(bmode[b]) pt 7 notitle, \
		for [b = bfirst[p]:blast[p]] $data index (b - 1) using 1:2 with linespoints lw 2 \
			lc rgb color(bmode[b]) pt 7 title label(bmode[b])
}
unset multiplot
