# Series of (facet, mode) against guest size, emitted as data blocks panel by panel for
# lib/panels.gnuplot. With csv.awk and facets.awk (POSIX awk).
#
#   series_add(fk, mode, size)  a size of the series (facet fk, mode); the caller keeps the
#                               row's text in row[fk, mode, size]
#   range_add(size, lo, hi)     widen the x (sizes) and y ranges
#   emit_series_blocks()        after facet_finish: "C nblock", the arrays bfirst[panel],
#                               blast[panel], bmode[block], then the blocks ("D " row, sorted
#                               by size, two blank lines between blocks)
#   emit_size_axis()            "C set xtics (...)", and xmin, xmax, ymin, ymax

BEGIN {
	mode_rank["sync"] = 1
	mode_rank["async"] = 2
	mode_rank["floor"] = 3
	mode_rank["floor_loaded"] = 4
	mode_name[1] = "sync"
	mode_name[2] = "async"
	mode_name[3] = "floor"
	mode_name[4] = "floor_loaded"
	nmodes = 4
}

function series_add(fk, m, sz) {
	ssize[fk, m, ++snum[fk, m]] = sz
	nallsize = list_add(allsize, nallsize, sz, allsize_seen)
}

function range_add(sz, lo, hi) {
	if (nrange++ == 0) {
		xmin = xmax = sz
		ymin = lo
		ymax = hi
	}
	if (sz < xmin)
		xmin = sz
	if (sz > xmax)
		xmax = sz
	if (lo > 0 && (ymin <= 0 || lo < ymin))
		ymin = lo
	if (hi > ymax)
		ymax = hi
}

function emit_series_blocks(    p, r, m, fk, nb, b, i, n, s) {
	nb = 0
	for (p = 1; p <= nfacet; p++)
		for (r = 1; r <= nmodes; r++)
			if ((facet[p], mode_name[r]) in snum)
				nb++
	printf "C nblock = %d\n", nb
	printf "C array bfirst[%d]; array blast[%d]; array bmode[%d]\n", nfacet, nfacet, nb
	b = 0
	for (p = 1; p <= nfacet; p++) {
		fk = facet[p]
		printf "C bfirst[%d] = %d\n", p, b + 1
		for (r = 1; r <= nmodes; r++) {
			m = mode_name[r]
			if (!((fk, m) in snum))
				continue
			printf "C bmode[%d] = \"%s\"\n", ++b, m
			n = snum[fk, m]
			for (i = 1; i <= n; i++)
				s[i] = ssize[fk, m, i]
			sort_num(s, n)
			if (b > 1)
				printf "\n\n"
			for (i = 1; i <= n; i++)
				print "D " row[fk, m, s[i]]
		}
		printf "C blast[%d] = %d\n", p, b
	}
}

function emit_size_axis(    i, tics) {
	sort_num(allsize, nallsize)
	tics = ""
	for (i = 1; i <= nallsize; i++)
		tics = tics (i > 1 ? ", " : "") "\"" size_label(allsize[i]) "\" " sprintf("%.0f", allsize[i])
	print "C set xtics (" tics ")"
	printf "C xmin = %.0f; xmax = %.0f; ymin = %g; ymax = %g\n", xmin, xmax, ymin, ymax
}
