#!/usr/bin/env bash
# Builds the UOS/Kylin/Debian package from the frozen build (dist/houshi-desk, see build_frozen.sh).
#
#     bash packaging/deb/build_deb.sh [OUT_DIR]      → OUT_DIR/cn.gov.houshidesk_<version>_<arch>.deb
#
# Layout follows the UOS application store: everything under /opt/apps/<appid>/ —
#   files/        the frozen app (files/houshi-desk/houshi-desk is the program)
#   entries/applications/<appid>.desktop, entries/icons/hicolor/scalable/apps/<appid>.svg
#   info          the store's JSON description
# The maintainer scripts change nothing outside /opt/apps/<appid>/: the store (or the desktop
# environment) links entries/ itself; the user's data directory is never touched, also on removal.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
OUT=${1:-dist}
APPID=cn.gov.houshidesk
VERSION=$(.venv/bin/python -c "import houshi_desk; print(houshi_desk.__version__)" 2>/dev/null || python3 -c "import houshi_desk; print(houshi_desk.__version__)")
ARCH=$(dpkg --print-architecture)
DIST=${DISTPATH:-dist}
[ -x "$DIST/houshi-desk/houshi-desk" ] || { echo "build_deb: $DIST/houshi-desk missing; run packaging/build_frozen.sh first" >&2; exit 1; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOT=$STAGE/opt/apps/$APPID
mkdir -p "$ROOT/files" "$ROOT/entries/applications" "$ROOT/entries/icons/hicolor/scalable/apps" "$STAGE/DEBIAN"
cp -a "$DIST/houshi-desk" "$ROOT/files/"
cp packaging/icons/houshi-desk.svg "$ROOT/entries/icons/hicolor/scalable/apps/$APPID.svg"
cat > "$ROOT/entries/applications/$APPID.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Houshi Desk
Name[zh_CN]=身后一件事综合窗口
Comment=公民身后“一件事”综合窗口受理
Exec=/opt/apps/$APPID/files/houshi-desk/houshi-desk
Icon=$APPID
Terminal=false
Categories=Office;
StartupNotify=true
DESKTOP
cat > "$ROOT/info" <<INFO
{
  "appid": "$APPID",
  "name": "身后一件事综合窗口",
  "version": "$VERSION",
  "arch": ["$ARCH"],
  "permissions": {"autostart": false, "notification": true, "trayicon": false, "clipboard": true,
                  "account": false, "bluetooth": false, "camera": true, "audio_record": false,
                  "installed_apps": false}
}
INFO
SIZE=$(du -sk "$STAGE/opt" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $APPID
Version: $VERSION
Architecture: $ARCH
Maintainer: houshi-desk team <houshi-desk@localhost>
Installed-Size: $SIZE
Depends: pcscd, libpcsclite1, libccid, libsane1, cups-client
Recommends: fonts-wqy-microhei | fonts-arphic-uming, sane-utils
Section: misc
Priority: optional
Homepage: https://localhost/houshi-desk
Description: 公民身后“一件事”综合窗口受理程序
 Counter-side program for the after-death "one thing" service: ID card reading,
 unified checklist, scanning, printing and a durable outbox to the provincial platform.
CONTROL
# Nothing to do after install or removal: no links, no services, no changes outside the app.
printf '#!/bin/sh\nset -e\nexit 0\n' > "$STAGE/DEBIAN/postinst"
chmod 0755 "$STAGE/DEBIAN/postinst"
mkdir -p "$OUT"
DEB="$OUT/${APPID}_${VERSION}_${ARCH}.deb"
fakeroot dpkg-deb --build -Zgzip -z6 "$STAGE" "$DEB" >/dev/null
echo "$DEB"
