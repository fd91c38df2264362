# Async cleanup time by cleanup thread placement and guest size: the median time the
# background destroy of the old guest takes (cleanup_ns), in ms, per placement (rows) and
# size (columns), each cell coloured by its ratio to the best placement at that size.
# Needs at least two placements in summary.csv (a sweep); otherwise it writes nothing and
# says why on stderr. Rows differing in other key columns (cleanup threads, guests, load,
# ...) get a panel each, titled with their values.
#
#   gnuplot -c plots/heatmap_cleanup.gp DIR [png|svg]
#   writes DIR/heatmap_cleanup.png|svg
#
# Input: DIR/summary.csv, columns found by name; the work is in lib/heatmap.{awk,gnuplot}.

name = "heatmap_cleanup"
metric = "cleanup"; mode = "async"; kind = "time"
what = "Async cleanup time by cleanup thread placement and guest size"
# A loaded file sees no ARGn: pass them on in variables.
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"
load lib."/heatmap.gnuplot"
