// SPDX-License-Identifier: Apache-2.0
// Colours and sizes for light and dark; every page reads them from here.
pragma Singleton
import QtQuick
import Tern.Client

QtObject {
    readonly property bool dark: Preferences.darkTheme

    readonly property color window: dark ? "#17191c" : "#f4f5f7"
    readonly property color panel: dark ? "#1f2226" : "#ffffff"
    readonly property color sidebar: dark ? "#121416" : "#2e3238"
    readonly property color sidebarText: "#c9ced6"
    readonly property color text: dark ? "#e8eaed" : "#1d2025"
    readonly property color mutedText: dark ? "#9aa0a8" : "#6b7280"
    readonly property color divider: dark ? "#2c3036" : "#e3e5e8"
    readonly property color accent: "#2f9e5b"
    readonly property color accentText: "#ffffff"
    readonly property color selection: dark ? "#2a3a31" : "#e3f3e9"
    // Links in messages: readable on both bubbles (contrast 4.5:1 or more).
    readonly property color link: dark ? "#c2e0ff" : "#0645ad"
    readonly property color ownBubble: dark ? "#2f6b46" : "#a9e8b8"
    readonly property color otherBubble: dark ? "#2a2e34" : "#ffffff"
    readonly property color online: "#35c46a"
    readonly property color danger: "#d64545"
    readonly property color badge: "#e5484d"
    readonly property color warningBanner: dark ? "#5a4a1c" : "#fff3cd"

    readonly property int radius: 6
    readonly property int spacing: 8
    readonly property int fontSize: 14
    readonly property int smallFontSize: 12
}
