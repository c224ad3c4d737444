# SPDX-License-Identifier: Apache-2.0
# CPack: one Debian package per component, `cpack -G DEB` in a build folder:
#   ternd  the daemon, ternctl and the systemd unit (component server)
#   tern   the desktop client with its launcher entry, icon and AppStream data (component client)
# shlibdeps finds the libraries each binary links; what is loaded at run time (QML modules,
# Qt plugins, GStreamer elements, fonts) has to be listed here. The `package` test builds both
# and checks their contents and that apt can resolve their dependencies.
include(GNUInstallDirs)

if(TERN_BUILD_SERVER)
    install(FILES "${CMAKE_CURRENT_LIST_DIR}/systemd/ternd.service"
        DESTINATION lib/systemd/system COMPONENT server)
    list(APPEND CPACK_COMPONENTS_ALL server)
endif()
if(TERN_BUILD_CLIENT)
    list(APPEND CPACK_COMPONENTS_ALL client)
endif()

set(CPACK_PACKAGE_NAME "tern")
set(CPACK_PACKAGE_VENDOR "Tern")
set(CPACK_PACKAGE_CONTACT "Tern developers <dev@tern.invalid>")
set(CPACK_GENERATOR "DEB")
# Empty, so that each package's summary is the first line of its own description below (a
# summary here would be put in front of both).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Without debug symbols: the binaries shrink to a fraction (the ci build has -g).
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME "ternd")
set(CPACK_DEBIAN_SERVER_DESCRIPTION "Tern messaging daemon and admin CLI
ternd keeps users, contacts, groups and messages in PostgreSQL (its own embedded
cluster in /var/lib/ternd by default) and pushes to clients over WebSocket;
ternctl administers it. Start it with: systemctl enable --now ternd")
# initdb and postgres for the embedded cluster; adduser for the service's system user.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "postgresql-15 | postgresql, adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_LIST_DIR}/debian/ternd/postinst"
    "${CMAKE_CURRENT_LIST_DIR}/debian/ternd/prerm"
    "${CMAKE_CURRENT_LIST_DIR}/debian/ternd/postrm")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME "tern")
set(CPACK_DEBIAN_CLIENT_DESCRIPTION "Tern desktop messenger
Chats, contacts, groups, file transfer, voice messages and calls through a
Tern server, with an offline cache; English and Simplified Chinese.")
set(tern_client_runtime
    # QML modules the app imports (and QtQuick.Dialogs' file dialog uses)
    qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
    qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtquick-controls
    qml6-module-qtquick-templates qml6-module-qtquick-layouts qml6-module-qtquick-dialogs
    qml6-module-qt-labs-folderlistmodel qml6-module-qtmultimedia
    # Qt plugins: the SQLite cache, the SVG icon engine (window icon); Qt's own texts in
    # Chinese (dialog buttons, file dialogs, socket errors)
    libqt6sql6-sqlite libqt6svg6 qt6-translations-l10n
    # GStreamer elements of voice notes and calls (webrtcbin, libnice, Opus, VP8, echo
    # cancellation, video in QML)
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
    gstreamer1.0-nice gstreamer1.0-gl gstreamer1.0-qt6
    # fonts: the interface's symbols and emoji, Latin, Chinese
    fonts-noto-color-emoji fonts-dejavu-core "fonts-wqy-microhei | fonts-noto-cjk")
list(JOIN tern_client_runtime ", " tern_client_runtime)
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "${tern_client_runtime}")
# The system keychain (QtKeychain talks to the Secret Service over D-Bus).
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")

include(CPack)
