// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/authservice.h"
#include "service/filepolicy.h"
#include "service/result.h"
#include "tern/protocol.h"

#include <QObject>

class QThreadPool;

namespace tern::server {

class BlobStore;
class FileStore;
class TransferSlots;
class UploadVerifications;
struct FileRow;
struct UploadRow;

// Uploads and downloads (files.proto) for one I/O worker: announcements (dedupe, resume),
// chunks checked against their SHA-256 and written at the committed offset, the whole content
// verified on a hashing thread before it becomes a file, ranged reads for those who may read.
// Chunks and reads hold one of the user's transfer slots (TransferSlots). Callbacks run on the
// worker thread.
class FileService : public QObject
{
    Q_OBJECT
public:
    // What the I/O workers' file services share.
    struct Shared
    {
        QThreadPool &hashers; // whole-content hashing, off the I/O threads
        TransferSlots &slots;
        UploadVerifications &verifications;
    };

    FileService(FileStore &store, BlobStore &blobs, Shared shared, FilePolicy policy,
                QObject *parent = nullptr);

    void startUpload(const Caller &caller, const proto::StartUploadRequest &request,
                     ResultCallback<proto::UploadState> done);
    void uploadChunk(const Caller &caller, const proto::UploadChunkRequest &request,
                     ResultCallback<proto::UploadState> done);
    void getUpload(const Caller &caller, const proto::GetUploadRequest &request,
                   ResultCallback<proto::UploadState> done);
    void cancelUpload(const Caller &caller, const proto::CancelUploadRequest &request,
                      ResultCallback<proto::CancelUploadResult> done);
    void getFile(const Caller &caller, const proto::GetFileRequest &request,
                 ResultCallback<proto::FileInfo> done);
    void readFile(const Caller &caller, const proto::ReadFileRequest &request,
                  ResultCallback<proto::FileChunk> done);

private:
    // Verifies a full upload's content and makes it a file (or resets it to 0 when the content
    // does not match). One verification per upload at a time: another ask meanwhile is told
    // to wait (UNAVAILABLE); complete() claims the upload and reads it again, verify() hashes.
    void complete(const UploadRow &upload, ResultCallback<proto::UploadState> done);
    void verify(const UploadRow &upload, ResultCallback<proto::UploadState> done);
    // Takes the slot of `transfer` for `caller`, or answers `done` with LIMIT_EXCEEDED.
    template<typename T>
    bool takeSlot(const Caller &caller, const QString &transfer, const ResultCallback<T> &done);

    FileStore &m_store;
    BlobStore &m_blobs;
    QThreadPool &m_hashers;
    TransferSlots &m_slots;
    UploadVerifications &m_verifications;
    FilePolicy m_policy;
};

} // namespace tern::server
