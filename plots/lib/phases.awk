# summary.csv -> the phases of a reboot per configuration (a panel pair per facet, see
# facets.awk), size and mode (sync, async).
#
#   awk -f csv.awk -f facets.awk -f phases.awk summary.csv
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
	mrank["sync"] = 1
	mrank["async"] = 2
	mname[1] = "sync"
	mname[2] = "async"
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
	fk = facet_add(f, col)
	sz = field(f, col, "size_bytes") + 0
	if (!(sz in seen)) {
		seen[sz] = 1
		size[++nsize] = sz
	}
	val[fk, sz, m, me] = v / 1e6
	have[fk, sz, m] = 1
	if (v > 0 && (lo == "" || v / 1e6 < lo))
		lo = v / 1e6
	if (v / 1e6 > hi)
		hi = v / 1e6
	nrows++
}

END {
	if (bad)
		exit
	if (nrows == 0) {
		print "S no sync or async phase rows (stop, teardown, create, start, cleanup, " \
			"populate) in summary.csv"
		exit
	}
	facet_finish()
	facet_emit_panels()
	sort_num(size, nsize)
	# x: groups 1 apart within a size, 1.6 between sizes.
	x = -1
	tics = ""
	for (j = 1; j <= nsize; j++)
		for (r = 1; r <= 2; r++) {
			x += (j > 1 && r == 1) ? 1.6 : 1
			gx[j, r] = x
			tics = tics (tics != "" ? ", " : "") "\"" mname[r] "\" " x
		}
	print "C set xtics (" tics ")"
	for (j = 1; j <= nsize; j++)
		printf "C set label %d \"%s\" at first %g, graph 0 center front offset 0, -2.6\n",
			100 + j, size_label(size[j]), (gx[j, 1] + gx[j, 2]) / 2
	printf "C xmax = %g; ymin = %g; ymax = %g; nsize = %d\n", x, lo, hi, nsize
	for (p = 1; p <= nfacet; p++) {
		if (p > 1)
			printf "\n\n"
		for (j = 1; j <= nsize; j++)
			for (r = 1; r <= 2; r++) {
				k = facet[p] SUBSEP size[j] SUBSEP mname[r]
				if (!(k in have))
					continue
				line = "D " gx[j, r]
				for (i = 1; i <= nph; i++)
					line = line " " sprintf("%.6f", val[k, ph[i]] + 0)
				print line
			}
	}
}
