# Medians of summary.csv as groups of bars: per facet (facets.awk) a cluster per guest size,
# in it a group per mode, each group a stack of the medians of some metrics. With csv.awk and
# facets.awk (POSIX awk).
#
#   group_modes(list, all)      in BEGIN: the modes, in order ("sync async"); all: every mode
#                               has a slot even without rows (the panels line up)
#   group_row(f, col, want)     a row split into f: its median_ns recorded (facet, size, mode,
#                               metric) when its mode is one of group_modes and want holds its
#                               metric; returns 1 then, else 0
#   group_axis()                in END, after facet_finish: the x positions gx[size, mode],
#                               "C set xtics" (the modes), "C set label" (the sizes), "C xmax
#                               ymin ymax nsize" (y in ms over every value but 0)
#   group_block(fk, mets, n)    "D x v1 .. vn" per size and mode of facet fk: the medians of
#                               mets[1..n] in ms (0: none)
#
# Its globals: nmode, mname[], mrank[], used[], nsize, size[], gx[], lo, hi, val[], have[].

function group_modes(list, all,    r) {
	nmode = split(list, mname, " ")
	for (r = 1; r <= nmode; r++) {
		mrank[mname[r]] = r
		if (all)
			used[mname[r]] = 1
	}
}

function group_row(f, col, want,    m, me, v, sz, fk) {
	m = field(f, col, "mode")
	me = field(f, col, "metric")
	v = field(f, col, "median_ns")
	if (!(m in mrank) || !(me in want) || v == "")
		return 0
	fk = facet_add(f, col)
	sz = field(f, col, "size_bytes") + 0
	nsize = list_add(size, nsize, sz, size_seen)
	used[m] = 1
	val[fk, sz, m, me] = v / 1e6
	have[fk, sz, m] = 1
	if (v > 0 && (lo == "" || v / 1e6 < lo))
		lo = v / 1e6
	if (v / 1e6 > hi)
		hi = v / 1e6
	return 1
}

# x: groups 1 apart within a size, 1.6 between sizes; only the modes that have a slot.
function group_axis(    x, tics, j, r, first, g0, g1) {
	sort_num(size, nsize)
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
}

function group_block(fk, mets, n,    j, r, k, line, i) {
	for (j = 1; j <= nsize; j++)
		for (r = 1; r <= nmode; r++) {
			k = fk SUBSEP size[j] SUBSEP mname[r]
			if (!(k in have) || !(mname[r] in used))
				continue
			line = "D " gx[j, r]
			for (i = 1; i <= n; i++)
				line = line " " sprintf("%.6f", val[k, mets[i]] + 0)
			print line
		}
}
