#!/usr/bin/env bash
# Debian packages the test suite needs: headless Chromium and CJK fonts for the
# browser tests (tests/test_browser.py), Java for the Nu Html Checker, nginx
# for the deployment tests (tests/test_nginx.py, which run their own nginx
# process on a free loopback port; the system service is not used), rsync for
# a new site's deploy/publish.sh (tests/test_new_site.py).
# Installs only what is missing, so a second run costs a dpkg query. Used by
# `make test` and by CI (.ci/run). With CI set, failing to install is an
# error; on a developer's machine without apt or root it only warns, and the
# browser tests then skip with a message.
set -euo pipefail

packages=(chromium fonts-noto-cjk default-jre-headless nginx rsync)
ci=false
case "${CI:-}" in ""|0|false|no) ;; *) ci=true ;; esac

fail() {
    echo "$1" >&2
    if $ci; then exit 1; fi
    exit 0
}

command -v dpkg-query >/dev/null 2>&1 || fail "无法自动安装 ${packages[*]}（不是 Debian 系统）：浏览器和 nginx 测试将跳过。"
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$package")
    fi
done
((${#missing[@]})) || exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "需要 root 权限安装 ${missing[*]}：请运行 sudo apt-get install ${missing[*]}"
    sudo="sudo"
fi
echo "正在安装 ${missing[*]} …"
log="$(mktemp)"
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "apt-get 安装 ${missing[*]} 失败"
fi
rm -f "$log"
