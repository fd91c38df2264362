# summary.csv -> the phases of a reboot per configuration (a panel pair per facet, see
# facets.awk), size and mode (sync, async).
#
#   awk -f csv.awk -f facets.awk -f groups.awk -f phases.awk summary.csv
#
# Prints "S reason" without phase rows, else gnuplot commands ("C ...": npanel, ptitle[],
# the x tics (the mode of each group) and labels (the size of each cluster), the x and y
# ranges) and per facet a block of "D x stop teardown create start reboot cleanup populate"
# lines in ms (0: not measured), one per size and mode, x the centre of the group; blocks two
# blank lines apart. Every facet has a slot for every size and mode, so the panels line up.

BEGIN {
	nph = split("stop teardown create start reboot cleanup populate", ph, " ")
	for (i = 1; i <= nph; i++)
		want[ph[i]] = i
	group_modes("sync async", 1)
}

NR == 1 {
	plot_header($0, col, "metric median_ns", "summary.csv")
	next
}

{
	csv_split($0, f)
	nrows += group_row(f, col, want)
}

END {
	if (nrows == 0)
		plot_skip("no sync or async phase rows (stop, teardown, create, start, cleanup, " \
			"populate) in summary.csv")
	facet_finish()
	facet_emit_panels()
	group_axis()
	for (p = 1; p <= nfacet; p++) {
		if (p > 1)
			printf "\n\n"
		group_block(facet[p], ph, nph)
	}
}
