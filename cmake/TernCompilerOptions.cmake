# SPDX-License-Identifier: Apache-2.0
# Compiler settings every Tern target shares: warnings, strict Qt, sanitizers, ccache.

find_program(TERN_CCACHE ccache)
if(TERN_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${TERN_CCACHE}")
endif()

add_library(tern_compiler_options INTERFACE)
target_compile_options(tern_compiler_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Werror=return-type -Wno-missing-field-initializers)
if(TERN_WERROR)
    target_compile_options(tern_compiler_options INTERFACE -Werror)
endif()
# Strict Qt: no implicit conversions between QString and char*/QByteArray/QUrl.
target_compile_definitions(tern_compiler_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(TERN_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
