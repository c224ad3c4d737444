// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "firstunread.h"
#include "outboxstore.h"

#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

class Account;

// One conversation's timeline: the cached history (newest page first, older pages as the view
// scrolls up: canFetchMore/fetchMore, from the cache and then the server) followed by the
// messages still in the outbox. Rows are inserted, removed or updated one by one, never reset
// but when the chat changes, so the view does not jump.
class MessageModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(tern::client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    // Ids cross into QML as numbers (doubles): exact up to 2^53, far beyond any id the server
    // issues.
    Q_PROPERTY(double conversationId READ conversationIdNumber WRITE setConversationIdNumber NOTIFY
                   conversationIdChanged)
    Q_PROPERTY(bool loadingOlder READ isLoadingOlder NOTIFY loadingOlderChanged)
    Q_PROPERTY(bool atBeginning READ isAtBeginning NOTIFY loadingOlderChanged)
    // "Bob is typing…" (or several names) while others type here; empty otherwise.
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingChanged)
    // The chat's unread messages when it was set, before the view marked them read: how many,
    // and the first of them (FirstUnread::seq), for a pill that leads there. firstUnreadSeq is
    // 0 when there were none, and once that message was seen (dismissFirstUnread) or gone to
    // (ensureFirstUnreadLoaded).
    Q_PROPERTY(int unreadAtOpen READ unreadAtOpen NOTIFY firstUnreadChanged)
    Q_PROPERTY(double firstUnreadSeq READ firstUnreadSeqNumber NOTIFY firstUnreadChanged)
    // The view shows the newest message and follows new ones (true), or the user scrolled away
    // from it to read (false; the view sets this). While away, newBelow counts the messages
    // from others that came in since, below what the view shows (for a "↓ N new" button); it
    // is 0 while following, and goes back to 0 when following again or when the chat is set.
    Q_PROPERTY(bool followingNewest READ isFollowingNewest WRITE setFollowingNewest NOTIFY
                   followingNewestChanged)
    Q_PROPERTY(int newBelow READ newBelow NOTIFY newBelowChanged)
public:
    enum class State { Sending, Failed, Sent, Delivered, Read };
    Q_ENUM(State)

    enum Role {
        SeqRole = Qt::UserRole + 1,
        ClientMsgIdRole,
        SenderIdRole,
        SenderNameRole,
        IsMineRole,
        KindRole, // "text", "image", "file", "voice", "video", "bundle", "call", "event",
                  // "recalled"
        TextRole,
        SentAtMsRole,
        DayStartsRole, // the first row of a calendar day: the view draws a separator
        StateRole,
        ErrorRole,
        EditedRole,
        ReplyToSeqRole,
        ReplySummaryRole,
        ReactionsRole, // list of {emoji, count, mine}
        MyReactionRole, // the emoji this user reacted with, "" for none
        FileRole, // the message's file and its transfer (messagefile.h), or an empty map
        SenderAvatarFileIdRole,
        // The message's own text as rich text with its links clickable (linkify.h); empty
        // when it has no links (most texts: the view shows them plainly), and for rows whose
        // text is not the sender's (events, recalls, calls, forwarded bundles).
        RichTextRole,
    };
    Q_ENUM(Role)

    explicit MessageModel(QObject *parent = nullptr);

    Account *account() const { return m_account; }
    void setAccount(Account *account);
    qulonglong conversationId() const { return m_conversationId; }
    void setConversationId(qulonglong id);
    double conversationIdNumber() const { return double(m_conversationId); }
    void setConversationIdNumber(double id) { setConversationId(id > 0 ? qulonglong(id) : 0); }
    bool isLoadingOlder() const { return m_loadingOlder; }
    bool isAtBeginning() const { return m_atBeginning; }
    QString typingText() const;
    int unreadAtOpen() const { return m_firstUnread.count(); }
    double firstUnreadSeqNumber() const
    {
        return m_firstUnreadDismissed ? 0 : double(m_firstUnread.seq());
    }
    bool isFollowingNewest() const { return m_followingNewest; }
    void setFollowingNewest(bool following);
    int newBelow() const { return m_newBelow; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // fetchMore for QML (the view asks when scrolled to the top).
    Q_INVOKABLE void fetchOlder() { fetchMore({}); }

    // mentionIds: users mentioned with @ (numbers); mentionAll: @all (owner and admins).
    // False, with actionFailed, when the text was not taken (too long, or the outbox could
    // not be written): the composer keeps it.
    Q_INVOKABLE bool sendText(const QString &text, double replyToSeq = 0,
                              const QVariantList &mentionIds = {}, bool mentionAll = false);
    Q_INVOKABLE void retry(const QString &clientMsgId);
    Q_INVOKABLE void discard(const QString &clientMsgId);
    // The user is typing (true) or stopped (false) in this conversation.
    Q_INVOKABLE void setTyping(bool typing);
    Q_INVOKABLE void recall(double seq);
    // False, with actionFailed, when the text is refused here (too long); a refusal by the
    // server comes as editRefused, so that the composer can give the text back.
    Q_INVOKABLE bool edit(double seq, const QString &text);
    // Reacts with `emoji`; choosing the reaction the user already has takes it back.
    Q_INVOKABLE void react(double seq, const QString &emoji);
    Q_INVOKABLE void deleteForMe(double seq);
    // Forwards entries (seqs as numbers) into other conversations: one message as a copy, or
    // several merged into one "chat history" bundle. forwarded() or actionFailed follows.
    Q_INVOKABLE void forward(const QVariantList &seqs, const QVariantList &targetConversationIds,
                             bool merge);
    // The user is looking at the newest message: move the read cursor.
    Q_INVOKABLE void markAllRead();

    // Files: each local file (URLs from a picker or a drop) is sent as its own message, an
    // image with a preview. Returns how many were accepted; actionFailed names the others.
    Q_INVOKABLE int sendFiles(const QVariantList &urls);
    // Sends what the clipboard holds if it is files or an image (the composer then does not
    // paste it as text); false when it holds neither.
    Q_INVOKABLE bool pasteFromClipboard();
    // Sends a recorded voice note (VoiceRecorder.finished).
    Q_INVOKABLE void sendVoiceNote(const QUrl &file, int durationMs);
    // Downloads the file of the message at `seq` into `folder` (Preferences.downloadFolder).
    Q_INVOKABLE void download(double seq, const QString &folder);
    Q_INVOKABLE void pauseTransfer(const QString &transferId);
    Q_INVOKABLE void resumeTransfer(const QString &transferId);
    Q_INVOKABLE void cancelTransfer(const QString &transferId);

    // Going to one message (a quote's original, a search hit). rowOfSeq: the row showing entry
    // `seq`, -1 when it is not among the rows loaded. ensureLoaded: loads older pages (the
    // cache's, then the server's) until that entry is among the rows, then says
    // seqLoaded(seq, row), always from the event loop; row is -1 when there is nothing to show:
    // the entry was deleted for this user, recalled, is not in the history, or its page could
    // not be fetched (actionFailed says why). A new request replaces one still loading;
    // setting the chat drops it.
    Q_INVOKABLE int rowOfSeq(double seq) const;
    Q_INVOKABLE void ensureLoaded(double seq);
    // The user went elsewhere (to the newest message) before ensureLoaded answered: no
    // seqLoaded follows, and no further page is asked for it (one on its way still comes in).
    Q_INVOKABLE void cancelEnsureLoaded();
    // ensureLoaded for the first unread message, looked for again after each older page (it
    // may turn out to be a later entry than the cache could tell): seqLoaded names the entry
    // found. The pill's work is then done: firstUnreadSeq becomes 0.
    Q_INVOKABLE void ensureFirstUnreadLoaded();
    // The view showed the first unread message: no pill is needed to lead there.
    Q_INVOKABLE void dismissFirstUnread();

    static constexpr int kPageSize = 50;

Q_SIGNALS:
    // A forward reached every target.
    void forwarded();
    void accountChanged();
    void conversationIdChanged();
    void loadingOlderChanged();
    void typingChanged();
    // A recall, edit, reaction or delete the server refused, with its reason.
    void actionFailed(const QString &message);
    // The server refused the edit of `seq` to `text` (actionFailed says why); only while the
    // model still shows the conversation it was made in.
    void editRefused(double seq, const QString &text);
    // The answer to ensureLoaded.
    void seqLoaded(double seq, int row);
    void firstUnreadChanged();
    void followingNewestChanged();
    void newBelowChanged();

private:
    // The longest text the server takes (its Welcome, else the protocol's default); false,
    // with actionFailed naming the limit, when `text` is longer.
    bool fitsTextLimit(const QString &text);
    QString bundleText(const proto::ForwardBundle &bundle) const;
    struct Row
    {
        proto::Message entry; // committed entries
        std::optional<OutgoingMessage> out; // outbox rows
    };

    void reload();
    // reload()'s parts: the history rows, then the outbox rows after them, changed in place.
    void mergeHistory(std::vector<Row> &next);
    void mergeOutbox(std::vector<Row> &next);
    // `row` follows rows that came or went: its day header may come or go.
    void dayStartsMayHaveChanged(int row);
    void loadOlder();
    void loadOlderFromCache(int pageSize);
    // Entries per older page: kPageSize while scrolling; on the way to an entry far back
    // (ensureLoaded) up to a server page, so that a jump takes a quarter of the round trips.
    int olderPageSize() const;
    std::vector<Row> readRows(quint64 fromSeq) const;
    State stateOf(const Row &row) const;
    QString summaryOf(quint64 seq) const;
    // Rows showing the file that transfer `id` moves.
    void onTransferChanged(const QString &id);

    QPointer<Account> m_account;
    quint64 m_conversationId = 0;
    std::vector<Row> m_rows;
    // The oldest seq shown (0: nothing loaded yet).
    quint64 m_firstSeq = 0;
    bool m_loadingOlder = false;
    bool m_atBeginning = false;
    quint64 m_olderRequests = 0; // bumped when the chat is set: older answers are stale
    QTimer m_reloadTimer;

    // ensureLoaded, one step: answers, or asks for the next older page.
    void continueToWantedSeq();
    // The entry ensureLoaded wants (0: none), the chat setting it was asked under (compared
    // with m_olderRequests), and m_firstSeq when it last asked for a page (unchanged after
    // the page: no progress, stop).
    quint64 m_wantedSeq = 0;
    quint64 m_wantedRequest = 0;
    quint64 m_wantedFrom = 0;
    // The entry wanted is the first unread one: m_wantedSeq follows m_firstUnread.
    bool m_wantsFirstUnread = false;

    // Read when the chat is set; looked for again as the cache fills (refreshFirstUnread).
    FirstUnread m_firstUnread;
    bool m_firstUnreadDismissed = false;
    void openFirstUnread();
    void refreshFirstUnread();

    // newBelow: the newest entry shown when the view stopped following (0 while it follows,
    // or when nothing was shown yet), and how many of the entries after it are news from
    // others. Counted again from the rows after each change (a message recalled or deleted
    // for the user before they saw it no longer counts).
    bool m_followingNewest = true;
    quint64 m_awayFromSeq = 0;
    int m_newBelow = 0;
    quint64 newestEntrySeq() const;
    void countNewBelow();
};

} // namespace tern::client
