// SPDX-License-Identifier: Apache-2.0
// Files requests (uploads, downloads): protocol <-> FileService. Runs on the I/O worker that
// owns the connection.
#include "net/filerequests.h"

#include "net/reply.h"
#include "service/fileservice.h"

namespace tern::server {

void handleFileRequest(FileService &files, Connection &connection, quint64 requestId,
                       const proto::Frame &frame)
{
    const Caller caller = *connection.caller();
    switch (frame.payload_case()) {
    case proto::Frame::kStartUpload:
        return files.startUpload(
            caller, frame.start_upload(),
            replyInField(connection, requestId, &proto::Frame::mutable_upload_state));
    case proto::Frame::kUploadChunk:
        return files.uploadChunk(
            caller, frame.upload_chunk(),
            replyInField(connection, requestId, &proto::Frame::mutable_upload_state));
    case proto::Frame::kGetUpload:
        return files.getUpload(
            caller, frame.get_upload(),
            replyInField(connection, requestId, &proto::Frame::mutable_upload_state));
    case proto::Frame::kCancelUpload:
        return files.cancelUpload(
            caller, frame.cancel_upload(),
            replyInField(connection, requestId, &proto::Frame::mutable_cancel_upload_result));
    case proto::Frame::kGetFile:
        return files.getFile(caller, frame.get_file(),
                             replyInField(connection, requestId, &proto::Frame::mutable_file_info));
    case proto::Frame::kReadFile:
        return files.readFile(
            caller, frame.read_file(),
            replyInField(connection, requestId, &proto::Frame::mutable_file_chunk));
    default:
        return connection.replyError(requestId,
                                     {proto::ERROR_CODE_UNKNOWN_REQUEST,
                                      QStringLiteral("this server does not handle that request")});
    }
}

} // namespace tern::server
