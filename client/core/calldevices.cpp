// SPDX-License-Identifier: Apache-2.0
#include <gst/gst.h>

#include "calldevices.h"

#include "mediasession.h"

namespace tern::client {

namespace {

const char *classFor(CallDevices::Kind kind)
{
    switch (kind) {
    case CallDevices::Kind::Microphone:
        return "Audio/Source";
    case CallDevices::Kind::Camera:
        return "Video/Source";
    case CallDevices::Kind::Speaker:
        return "Audio/Sink";
    }
    return "";
}

bool isDefault(GstDevice *device)
{
    GstStructure *properties = gst_device_get_properties(device);
    gboolean value = FALSE;
    if (properties) {
        gst_structure_get_boolean(properties, "is-default", &value);
        gst_structure_free(properties);
    }
    return value;
}

// The devices of a kind, the default first; each owned by the caller (unref them).
QList<GstDevice *> devicesOf(CallDevices::Kind kind)
{
    QList<GstDevice *> found;
    if (!initGStreamer())
        return found;
    GstDeviceMonitor *monitor = gst_device_monitor_new();
    gst_device_monitor_add_filter(monitor, classFor(kind), nullptr);
    if (!gst_device_monitor_start(monitor)) {
        gst_object_unref(monitor);
        return found;
    }
    GList *devices = gst_device_monitor_get_devices(monitor);
    for (GList *at = devices; at; at = at->next) {
        auto *device = GST_DEVICE(at->data);
        if (isDefault(device))
            found.prepend(device);
        else
            found.append(device);
    }
    g_list_free(devices);
    gst_device_monitor_stop(monitor);
    gst_object_unref(monitor);
    return found;
}

QString nameOf(GstDevice *device)
{
    gchar *name = gst_device_get_display_name(device);
    const QString text = QString::fromUtf8(name);
    g_free(name);
    return text;
}

} // namespace

QStringList CallDevices::names(Kind kind)
{
    QStringList names;
    for (GstDevice *device : devicesOf(kind)) {
        names.append(nameOf(device));
        gst_object_unref(device);
    }
    return names;
}

GstElement *CallDevices::createElement(Kind kind, const QString &name, bool *usedDefault)
{
    const QList<GstDevice *> devices = devicesOf(kind);
    GstDevice *chosen = nullptr;
    for (GstDevice *device : devices) {
        if (!name.isEmpty() && nameOf(device) == name)
            chosen = device;
    }
    if (usedDefault)
        *usedDefault = !chosen && !name.isEmpty() && !devices.isEmpty();
    if (!chosen && !devices.isEmpty())
        chosen = devices.first(); // the default, or the first one
    GstElement *element = chosen ? gst_device_create_element(chosen, nullptr) : nullptr;
    for (GstDevice *device : devices)
        gst_object_unref(device);
    return element;
}

} // namespace tern::client
