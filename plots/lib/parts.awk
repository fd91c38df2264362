# summary.csv -> the sub-phases of the create and of the cleanup (create_*_ns, cleanup_*_ns)
# per configuration (a panel pair per facet, see facets.awk), size and mode.
#
#   awk -f csv.awk -f facets.awk -f groups.awk -f parts.awk summary.csv
#
# Prints "S reason" without sub-phase rows (runs from before them), else gnuplot commands
# ("C ...": npanel, ptitle[], the x tics (the mode of each group) and labels (the size of each
# cluster), the x and y ranges) and per facet two blocks: "D x mmap advise memslot vm load
# create" and "D x vcpu vm memslot scrub release cleanup", medians in ms (0: none), one line
# per size and mode, x the centre of the group; blocks two blank lines apart.

BEGIN {
	ncp = split("create_mmap create_advise create_memslot create_vm create_load create", cp, " ")
	nxp = split("cleanup_vcpu cleanup_vm cleanup_memslot cleanup_scrub cleanup_release cleanup",
		xp, " ")
	for (i = 1; i <= ncp; i++)
		want[cp[i]] = 1
	for (i = 1; i <= nxp; i++)
		want[xp[i]] = 1
	group_modes("sync async floor floor_loaded", 0)
}

NR == 1 {
	plot_header($0, col, "metric median_ns", "summary.csv")
	next
}

{
	csv_split($0, f)
	if (group_row(f, col, want) && field(f, col, "metric") ~ /^(create|cleanup)_/)
		nparts++
}

END {
	if (nparts == 0)
		plot_skip("no sub-phase rows (create_*_ns, cleanup_*_ns) in summary.csv: a run " \
			"from before them")
	facet_finish()
	facet_emit_panels()
	group_axis()
	nb = 0
	for (p = 1; p <= nfacet; p++) {
		if (nb++)
			printf "\n\n"
		group_block(facet[p], cp, ncp)
		printf "\n\n"
		nb++
		group_block(facet[p], xp, nxp)
	}
}
