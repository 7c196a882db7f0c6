# Shared by the workbench scripts: one-line fatal errors.
die() {
	echo "error: $*" >&2
	exit 1
}
