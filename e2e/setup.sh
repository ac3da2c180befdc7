#!/usr/bin/env bash
# Installs what the browser tests in e2e/ need, and nothing when it is already there:
# Debian's Chromium and ChromeDriver, fonts for it to draw text with (it recommends
# them, and recommends are left out), a Java runtime for the Nu HTML Checker, poppler-utils
# (pdftotext, pdffonts, pdfinfo, pdftoppm) for the tests that read the press PDF back, and
# the npm packages axe-core and vnu-jar pinned by e2e/package-lock.json.
# Run it from anywhere: bash e2e/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

install_debian_packages() {
	local missing=() pkg sudo=""
	for pkg in chromium chromium-driver fonts-liberation fonts-dejavu-core default-jre-headless poppler-utils; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	((${#missing[@]} > 0)) || return 0
	echo "e2e/setup.sh: installing ${missing[*]}" >&2
	if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
	install_debian_packages
else
	# Not Debian: the e2e tests say what is missing (and fail under CI=true).
	echo "e2e/setup.sh: no apt-get here; install Chromium (at /usr/bin/chromium), Java and poppler-utils yourself" >&2
fi

# npm ci only when the installed tree differs from the lock file: it wipes
# node_modules first, which costs seconds on every test run otherwise.
# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime,
# and the Debian one above is what runs the jar.
lock="$here/package-lock.json"
stamp="$here/node_modules/.humas-lock.sha256"
want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -f "$here/node_modules/axe-core/axe.min.js" || ! -f "$here/node_modules/vnu-jar/build/dist/vnu.jar" ]]; then
	echo "e2e/setup.sh: npm ci in e2e/" >&2
	(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
	echo "$want" >"$stamp"
fi
