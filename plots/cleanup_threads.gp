# Cleanup throughput against the number of cleanup threads: guest size / median cleanup
# time in GiB/s, one line per size, bars from the p95 (low) to the p5 (high) time. Async
# rows (sync when a run has none). Needs at least two cleanup_threads values in summary.csv;
# otherwise it writes nothing and says why on stderr. One line per size and configuration:
# the other key columns that vary (placement, load, ...) label the lines; those that do not
# vary go under the title.
#
#   gnuplot -c plots/cleanup_threads.gp DIR [png|svg]     writes DIR/cleanup_threads.png|svg
#
# Input: DIR/summary.csv, columns found by name; reshaped by lib/cleanup_threads.awk (with
# lib/facets.awk: every other key column that varies becomes part of a series' label).

name = "cleanup_threads"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

nseries = 0; tmin = 1; tmax = 1; slice = ""; used_mode = ""
array stitle[1]
backend = ""
input = "summary.csv"
awk_files = "csv.awk facets.awk cleanup_threads.awk"
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
sub1 = used_mode." cleanup, ".backend.(emulated ? " (EMULATED MODEL)" : "") \
	.(slice ne "" ? ", ".slice : "")
sub2 = "size / median cleanup time; bars: p95 to p5 time"
set title "Cleanup throughput vs cleanup threads\n".sub1."\n".sub2 font ",12"

if (tmax >= 4 * tmin) {
	set logscale x 2
	set xrange [tmin / 1.3 : tmax * 1.3]
} else {
	set xrange [tmin - 0.5 : tmax + 0.5]
}
set xlabel "cleanup threads"
set ylabel "cleanup throughput (GiB/s)"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key outside right top vertical Left reverse samplen 3 spacing 1.2 title "size, configuration"
set pointsize 1.1
set bars 1.5

plot for [i = 1:nseries] $data index (i - 1) using 1:2:3:4 with yerrorlines lw 2 \
	lc i pt 7 title stitle[i]
