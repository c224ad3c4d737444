# SPDX-License-Identifier: Apache-2.0
# CPack: a Debian package of the server (ternd, ternctl, systemd unit). The desktop client's
# installers (DEB, NSIS, DMG) join when the client lands.
include(GNUInstallDirs)
install(FILES "${CMAKE_CURRENT_LIST_DIR}/systemd/ternd.service"
    DESTINATION lib/systemd/system COMPONENT server)

set(CPACK_PACKAGE_NAME "ternd")
set(CPACK_PACKAGE_VENDOR "Tern")
set(CPACK_PACKAGE_CONTACT "Tern developers <dev@tern.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Tern messaging daemon and admin CLI")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "postgresql-15 | postgresql")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
