# Interference of the async cleanup by cleanup thread placement and guest size: the median
# of the new guest's populate rate while the old guest's cleanup runs divided by its rate
# without it (1 = none, lower = slower), per placement (rows) and size (columns).
# Needs at least two placements in summary.csv (a sweep); otherwise it writes nothing and
# says why on stderr. Rows differing in other key columns (cleanup threads, guests, load,
# ...) get a panel each, titled with their values.
#
#   gnuplot -c plots/heatmap_interference.gp DIR [png|svg]
#   writes DIR/heatmap_interference.png|svg
#
# Input: DIR/summary.csv, columns found by name; the work is in lib/heatmap.{awk,gnuplot}.

name = "heatmap_interference"
metric = "interference"; mode = "async"; kind = "ratio"
what = "Interference of the async cleanup by placement and guest size"
# A loaded file sees no ARGn: pass them on in variables.
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"
load lib."/heatmap.gnuplot"
