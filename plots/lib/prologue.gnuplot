# The shared start of the plots that reshape their input with the awk programs in lib/.
# The caller sets argc, arg1, arg2, arg3 (its ARGn: a loaded file sees no ARGn), lib
# (this directory), name, input (a file of DIR, e.g. "summary.csv"), awk_files (the lib/
# programs, e.g. "csv.awk heatmap.awk") and awk_vars ("-v metric=reboot"), then loads this
# file. It checks the arguments (dir, fmt), runs awk on DIR/input and reads its output:
# "S reason" skips the plot (exit 0, no file, "NAME: skipped: reason" on stderr), a
# "C command" line is run, "D values" lines and blank lines go to the datablock $data.
# A missing input is a skip too when skip_missing is set (with skip_missing as the reason);
# two_pass set gives awk the input twice. The plot goes to out_file: DIR/NAME.FMT, or the
# third argument (pvbench passes a temporary name there and renames it once gnuplot succeeded,
# so that a failing gnuplot leaves no half-written picture).

if (argc < 1 || arg1 eq "") {
	print "usage: gnuplot -c ".name.".gp DIR [png|svg]"
	exit status 2
}
dir = arg1
fmt = (argc >= 2 && arg2 ne "") ? arg2 : "png"
if (fmt ne "png" && fmt ne "svg") {
	print name.".gp: format must be png or svg, not ".fmt
	exit status 2
}
out_file = (argc >= 3 && arg3 ne "") ? arg3 : dir."/".name.".".fmt

# Paths quoted for the shell.
q = ""
do for [i = 1:strlen(dir)] { c = dir[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
in_path = "'".q."/".input."'"
q = ""
do for [i = 1:strlen(lib)] { c = lib[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
awk = "awk ".awk_vars
do for [i = 1:words(awk_files)] { awk = awk." -f '".q."/".word(awk_files, i)."'" }

if (system("test -r ".in_path." && echo ok") ne "ok") {
	if (exists("skip_missing")) {
		print name.": skipped: ".skip_missing
		exit gnuplot
	}
	print name.".gp: cannot read ".dir."/".input
	exit status 1
}
out = system(awk." ".in_path.(exists("two_pass") ? " ".in_path : ""))
if (out[1:2] eq "S ") {
	print name.": skipped: ".out[3:]
	exit gnuplot
}
if (strstrt(out, "C ") != 1 && strstrt(out, "D ") != 1) {
	print name.".gp: awk failed on ".dir."/".input
	exit status 1
}

set print $data
while (strlen(out) > 0) {
	p = strstrt(out, "\n")
	if (p == 0) { line = out; out = "" } else { line = out[1:p - 1]; out = out[p + 1:] }
	if (line[1:2] eq "C ") { eval line[3:] }
	if (line[1:2] eq "D ") { print line[3:] }
	if (line eq "") { print "" }
}
unset print
