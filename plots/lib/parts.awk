# summary.csv -> the sub-phases of the create and of the cleanup (create_*_ns, cleanup_*_ns)
# per configuration (a panel pair per facet, see facets.awk), size and mode.
#
#   awk -f csv.awk -f facets.awk -f parts.awk summary.csv
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
	nmode = split("sync async floor floor_loaded", mname, " ")
	for (r = 1; r <= nmode; r++)
		mrank[mname[r]] = r
}

NR == 1 {
	if ((msg = csv_header_need($0, col, "metric median_ns", "summary.csv")) != "") {
		print "S " msg
		bad = 1
		exit
	}
	next
}

{
	csv_split($0, f)
	m = field(f, col, "mode")
	me = field(f, col, "metric")
	v = field(f, col, "median_ns")
	if (!(m in mrank) || !(me in want) || v == "")
		next
	if (me ~ /^(create|cleanup)_/)
		nparts++
	fk = facet_add(f, col)
	sz = field(f, col, "size_bytes") + 0
	if (!(sz in seen)) {
		seen[sz] = 1
		size[++nsize] = sz
	}
	if (!((fk, sz, m) in have))
		used[m] = 1
	val[fk, sz, m, me] = v / 1e6
	have[fk, sz, m] = 1
	if (v > 0 && (lo == "" || v / 1e6 < lo))
		lo = v / 1e6
	if (v / 1e6 > hi)
		hi = v / 1e6
}

function block(fk, parts, n,    j, r, k, line, i) {
	for (j = 1; j <= nsize; j++)
		for (r = 1; r <= nmode; r++) {
			k = fk SUBSEP size[j] SUBSEP mname[r]
			if (!(k in have) || !(mname[r] in used))
				continue
			line = "D " gx[j, r]
			for (i = 1; i <= n; i++)
				line = line " " sprintf("%.6f", val[k, parts[i]] + 0)
			print line
		}
}

END {
	if (bad)
		exit
	if (nparts == 0) {
		print "S no sub-phase rows (create_*_ns, cleanup_*_ns) in summary.csv: a run from " \
			"before them"
		exit
	}
	facet_finish()
	facet_emit_panels()
	sort_num(size, nsize)
	# x: groups 1 apart within a size, 1.6 between sizes; only the modes the run has.
	x = -1
	tics = ""
	for (j = 1; j <= nsize; j++) {
		first = 1
		for (r = 1; r <= nmode; r++) {
			if (!(mname[r] in used))
				continue
			x += (j > 1 && first) ? 1.6 : 1
			first = 0
			gx[j, r] = x
			if (!(j in g0))
				g0[j] = x
			g1[j] = x
			tics = tics (tics != "" ? ", " : "") "\"" mname[r] "\" " x
		}
	}
	print "C set xtics (" tics ")"
	for (j = 1; j <= nsize; j++)
		printf "C set label %d \"%s\" at first %g, graph 0 center front offset 0, -2.6\n",
			100 + j, size_label(size[j]), (g0[j] + g1[j]) / 2
	printf "C xmax = %g; ymin = %g; ymax = %g; nsize = %d\n", x, lo, hi, nsize
	nb = 0
	for (p = 1; p <= nfacet; p++) {
		if (nb++)
			printf "\n\n"
		block(facet[p], cp, ncp)
		printf "\n\n"
		nb++
		block(facet[p], xp, nxp)
	}
}
