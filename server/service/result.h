// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QString>

#include <functional>
#include <variant>

// What services hand back: a value or a ServiceError carrying one stable protocol error code.

namespace tern::server {

struct ServiceError
{
    ErrorCode code = proto::ERROR_CODE_INTERNAL;
    QString message;
    quint32 retryAfterMs = 0;
    QString reason; // Error.reason: "area/rule" for refusals people run into, else empty
    qint64 userId = 0; // Error.user_id: the user the refusal is about, if it names one
};

// The database is away: the request had no effect and may be retried.
inline ServiceError unavailableError()
{
    return {proto::ERROR_CODE_UNAVAILABLE,
            QStringLiteral("the server's database is temporarily unavailable"), 1000};
}

struct Done
{
};

template<typename T> class Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    { }
    Result(ServiceError error)
        : m_value(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_value); }
    const T &value() const { return std::get<T>(m_value); }
    const ServiceError &error() const { return std::get<ServiceError>(m_value); }

private:
    std::variant<T, ServiceError> m_value;
};

template<typename T> using ResultCallback = std::function<void(const Result<T> &)>;

} // namespace tern::server
