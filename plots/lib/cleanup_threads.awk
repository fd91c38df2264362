# summary.csv -> cleanup throughput (GiB/s = size / cleanup time) against the number of
# cleanup threads, one series per guest size.
#
#   awk -f csv.awk -f cleanup_threads.awk summary.csv
#
# Uses the async rows (the sync ones when there are none). Prints "S reason" when there is
# no cleanup_threads variation, else gnuplot commands ("C ...") and, per size, a block of
# "D threads median_gibps low high" lines (low from p95, high from p5 of the time) with two
# blank lines between blocks. Rows that differ from the first in another key column
# (placement, load, ...) are left out; the subtitle names those columns.

BEGIN {
	nkeys = split("backend backing vcpus scrub touch placement guests load mem_policy", keys, " ")
}

NR == 1 {
	csv_header($0, col)
	if (!("cleanup_threads" in col)) {
		print "S summary.csv has no cleanup_threads column (a run from before it existed)"
		bad = 1
		exit
	}
	next
}

{
	csv_split($0, f)
	m = field(f, col, "mode")
	if ((m != "async" && m != "sync") || field(f, col, "metric") != "cleanup")
		next
	if (field(f, col, "median_ns") + 0 <= 0)
		next
	r = ++nrows
	mode[r] = m
	k = ""
	for (i = 1; i <= nkeys; i++)
		k = k SUBSEP field(f, col, keys[i])
	key[r] = k
	for (i = 1; i <= nkeys; i++)
		kv[r, keys[i]] = field(f, col, keys[i])
	size[r] = field(f, col, "size_bytes") + 0
	threads[r] = field(f, col, "cleanup_threads") + 0
	med[r] = field(f, col, "median_ns") + 0
	p5[r] = field(f, col, "p5_ns") + 0
	p95[r] = field(f, col, "p95_ns") + 0
	if (m == "async")
		nasync++
}

function gibps(bytes, ns) {
	return ns > 0 ? bytes / 1073741824 / (ns / 1e9) : 0
}

END {
	if (bad)
		exit
	if (nrows == 0) {
		print "S no cleanup rows in summary.csv"
		exit
	}
	use = nasync ? "async" : "sync"
	first = 0
	for (r = 1; r <= nrows; r++) {
		if (mode[r] != use)
			continue
		if (!first)
			first = r
		if (key[r] != key[first]) {
			for (i = 1; i <= nkeys; i++)
				if (kv[r, keys[i]] != kv[first, keys[i]])
					other[keys[i]] = 1
			continue
		}
		keep[r] = 1
		if (!(threads[r] in tseen)) {
			tseen[threads[r]] = 1
			tl[++nt] = threads[r]
		}
		if (!(size[r] in sseen)) {
			sseen[size[r]] = 1
			sl[++ns] = size[r]
		}
	}
	if (nt < 2) {
		print "S a single cleanup_threads value (" tl[1] "): nothing to compare"
		exit
	}
	sort_num(tl, nt)
	sort_num(sl, ns)
	for (j = 1; j <= ns; j++) {
		if (j > 1)
			printf "\n\n"
		for (t = 1; t <= nt; t++)
			for (r = 1; r <= nrows; r++)
				if ((r in keep) && size[r] == sl[j] && threads[r] == tl[t])
					printf "D %d %.6g %.6g %.6g\n", tl[t], gibps(size[r], med[r]), \
						gibps(size[r], p95[r]), gibps(size[r], p5[r])
	}
	printf "\n\n"
	titles = ""
	for (j = 1; j <= ns; j++)
		titles = titles (j > 1 ? " " : "") size_label(sl[j])
	print "C titles = " gq(titles)
	tics = ""
	for (t = 1; t <= nt; t++)
		tics = tics (t > 1 ? ", " : "") "\"" tl[t] "\" " tl[t]
	print "C set xtics (" tics ")"
	printf "C nsize = %d; tmin = %d; tmax = %d\n", ns, tl[1], tl[nt]
	s = ""
	for (i = 2; i <= nkeys; i++) {
		t = key_text(keys[i], kv[first, keys[i]])
		if (t != "")
			s = s (s != "" ? ", " : "") t
	}
	print "C slice = " gq(s)
	print "C used_mode = " gq(use)
	s = ""
	for (i = 1; i <= nkeys; i++)
		if (keys[i] in other)
			s = s (s != "" ? ", " : "") keys[i]
	print "C not_shown = " gq(s)
	print "C backend = " gq(kv[first, "backend"])
}
