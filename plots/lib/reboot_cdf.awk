# iterations.csv -> the empirical CDF of reboot latency: one panel per guest size and
# configuration that varies (see facets.awk), one line per mode (sync, async, floor,
# floor_loaded).
#
#   awk -f csv.awk -f facets.awk -f panels.awk -f reboot_cdf.awk iterations.csv
#
# Prints "S reason" without reboot rows, else gnuplot commands ("C ...": npanel, ptitle[],
# the blocks of each panel bfirst[]/blast[], their mode bmode[] and key text btitle[],
# nsizes) and per block "D ms cdf" lines, the steps of the CDF from (x(1), 0) to (x(n), 1),
# blocks two blank lines apart.

NR == 1 {
	plot_header($0, col, "reboot_ns mode", "iterations.csv")
	next
}

{
	csv_split($0, f)
	m = field(f, col, "mode")
	v = field_positive(f, col, "reboot_ns")
	if (!(m in mode_rank) || v == "")
		next
	fk = facet_add(f, col)
	sz = field(f, col, "size_bytes") + 0
	if (!((fk, m, sz) in nval))
		series_add(fk, m, sz)
	val[fk, m, sz, ++nval[fk, m, sz]] = v / 1e6
	nrows++
}

# Shell sort of a[1..n], numerically (the lists can hold thousands of values).
function shell_sort(a, n,    gap, i, j, t) {
	for (gap = int(n / 2); gap > 0; gap = int(gap / 2))
		for (i = gap + 1; i <= n; i++) {
			t = a[i]
			for (j = i; j > gap && a[j - gap] > t; j -= gap)
				a[j] = a[j - gap]
			a[j] = t
		}
}

function ms_text(x) {
	return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x)
}

# The block of one series: its values sorted, as the steps of the CDF; the key text.
function emit_block(fk, m, sz, b,    n, i, x) {
	n = nval[fk, m, sz]
	for (i = 1; i <= n; i++)
		x[i] = val[fk, m, sz, i]
	shell_sort(x, n)
	if (b > 1)
		printf "\n\n"
	printf "D %.6f 0\n", x[1]
	for (i = 1; i <= n; i++)
		printf "D %.6f %.6f\n", x[i], i / n
	printf "C bmode[%d] = \"%s\"; btitle[%d] = \"%s: n = %d, median %s ms\"\n", b, m, b, m, n,
		ms_text(n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2)
}

END {
	if (nrows == 0)
		plot_skip("no reboot rows (sync, async or floor) in iterations.csv")
	facet_finish()
	sort_num(allsize, nallsize)
	np = 0
	nb = 0
	for (p = 1; p <= nfacet; p++)
		for (j = 1; j <= nallsize; j++) {
			has = 0
			for (r = 1; r <= nmodes; r++)
				if ((facet[p], mode_name[r], allsize[j]) in nval) {
					nb++
					has = 1
				}
			np += has
		}
	printf "C npanel = %d; nblock = %d; nsizes = %d\n", np, nb, nallsize
	printf "C array ptitle[%d]; array bfirst[%d]; array blast[%d]\n", np, np, np
	printf "C array bmode[%d]; array btitle[%d]\n", nb, nb
	print "C common = " gq_wrap(facet_common(), 72)
	print "C backend = " gq(facet_backends())
	q = 0
	b = 0
	for (p = 1; p <= nfacet; p++)
		for (j = 1; j <= nallsize; j++) {
			first = b + 1
			for (r = 1; r <= nmodes; r++)
				if ((facet[p], mode_name[r], allsize[j]) in nval) {
					b++
					emit_block(facet[p], mode_name[r], allsize[j], b)
				}
			if (b < first)
				continue
			t = facet_label(facet[p])
			q++
			printf "C ptitle[%d] = %s; bfirst[%d] = %d; blast[%d] = %d\n", q,
				gq(size_label(allsize[j]) " guest" (t != "" ? ", " t : "")), q, first, q, b
		}
}
