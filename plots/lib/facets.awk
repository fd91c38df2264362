# Facets: the configuration columns of a run (every key column of summary.csv other than
# size and mode) that vary become panels or lines, each labelled with its values; the ones
# that do not vary go under the title. Used with csv.awk (POSIX awk: Debian's is mawk).
#
#   fk = facet_add(f, col)     after csv_split: the row's facet (its key values), recorded
#   facet_finish()             in END, once every row is added: sets nfacet, facet[1..nfacet]
#                              (sorted by their values), facet_no[fk], nvary
#   facet_label(fk)            "placement same-pu, 2 guests" (the varying columns), "" if none
#   facet_common()             "1 vCPU, thp memory" (the columns that do not vary)
#   facet_emit_panels()        "C npanel = N", "C array ptitle[N]" and the titles
#   facet_header_axis(line, col, axis, why)
#                              the header line, for a plot that draws column axis on an axis
#                              of its own (a heatmap's placement): a file without it skips
#                              the plot (why), and the facets leave it out

BEGIN {
	nfkeys = split("backend vcpus backing scrub touch placement cleanup_threads guests load " \
		"mem_policy", fkeys, " ")
}

function facet_header_axis(line, col, axis, why) {
	plot_header(line, col, axis, "", why)
	facet_skip[axis] = 1
}

function facet_add(f, col,    i, k, v, fk) {
	fk = ""
	for (i = 1; i <= nfkeys; i++) {
		k = fkeys[i]
		v = (k in facet_skip) ? "" : field(f, col, k)
		fk = fk (i > 1 ? SUBSEP : "") v
		if (!((k, v) in fseen)) {
			fseen[k, v] = 1
			fnval[k]++
			if (!(k in ffirst))
				ffirst[k] = v
		}
	}
	if (!(fk in fknown)) {
		fknown[fk] = 1
		fall[++nfall] = fk
	}
	return fk
}

# a before b: the first key column where they differ decides, numerically when both are
# numbers.
function facet_before(a, b,    x, y, i) {
	split(a, x, SUBSEP)
	split(b, y, SUBSEP)
	for (i = 1; i <= nfkeys; i++) {
		if (x[i] == y[i])
			continue
		if (x[i] ~ /^[0-9]+$/ && y[i] ~ /^[0-9]+$/)
			return x[i] + 0 < y[i] + 0
		return x[i] < y[i]
	}
	return 0
}

function facet_finish(    i, j, t) {
	nvary = 0
	for (i = 1; i <= nfkeys; i++)
		if (fnval[fkeys[i]] > 1)
			vary[fkeys[i]] = ++nvary
	nfacet = nfall
	for (i = 1; i <= nfacet; i++)
		facet[i] = fall[i]
	for (i = 2; i <= nfacet; i++) {
		t = facet[i]
		for (j = i - 1; j >= 1 && facet_before(t, facet[j]); j--)
			facet[j + 1] = facet[j]
		facet[j + 1] = t
	}
	for (i = 1; i <= nfacet; i++)
		facet_no[facet[i]] = i
}

# What a varying column's value means, never empty (key_text hides the defaults).
function vary_text(k, v) {
	if (v == "")
		return k " (none)"
	if (k == "scrub")
		return v == 1 ? "scrub" : "no scrub"
	if (k == "touch")
		return "touch " v
	if (k == "mem_policy")
		return "mem policy " v
	if (k == "backend")
		return "backend " v
	return key_text(k, v)
}

function facet_label(fk,    x, i, s) {
	split(fk, x, SUBSEP)
	s = ""
	for (i = 1; i <= nfkeys; i++)
		if (fkeys[i] in vary)
			s = s (s != "" ? ", " : "") vary_text(fkeys[i], x[i])
	return s
}

# The columns that do not vary, as a subtitle (backend left out: the title names it).
function facet_common(    i, k, t, s) {
	s = ""
	for (i = 2; i <= nfkeys; i++) {
		k = fkeys[i]
		if (k in vary)
			continue
		t = key_text(k, ffirst[k])
		if (t != "")
			s = s (s != "" ? ", " : "") t
	}
	return s
}

# The backend(s) of the rows, for titles.
function facet_backends(    s, fk, x, seenb, i) {
	s = ""
	for (i = 1; i <= nfall; i++) {
		split(fall[i], x, SUBSEP)
		if (x[1] in seenb)
			continue
		seenb[x[1]] = 1
		s = s (s != "" ? ", " : "") x[1]
	}
	return s
}

# A gnuplot string expression of s broken into lines of about width characters after its
# commas.
function gq_wrap(s, width,    n, parts, i, out, cur) {
	n = split(s, parts, ", ")
	out = ""
	cur = ""
	for (i = 1; i <= n; i++) {
		if (cur != "" && length(cur) + length(parts[i]) + 2 > width) {
			out = out (out != "" ? ".\"\\n\"." : "") gq(cur ",")
			cur = ""
		}
		cur = cur (cur != "" ? ", " : "") parts[i]
	}
	return out (out != "" ? ".\"\\n\"." : "") gq(cur)
}

function facet_emit_panels(    i) {
	printf "C npanel = %d\n", nfacet
	printf "C array ptitle[%d]\n", nfacet
	for (i = 1; i <= nfacet; i++)
		printf "C ptitle[%d] = %s\n", i, gq(facet_label(facet[i]))
	print "C common = " gq_wrap(facet_common(), 60)
	print "C backend = " gq(facet_backends())
}
