<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddFriendDialog</name>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Username or name</source>
        <translation>用户名或昵称</translation>
    </message>
    <message>
        <source>Find people</source>
        <translation>查找用户</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Say hello (optional)</source>
        <translation>打个招呼（可选）</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>验证消息</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>好友</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Send a friend request to %1</source>
        <translation>向 %1 发送好友申请</translation>
    </message>
</context>
<context>
    <name>CallText</name>
    <message>
        <source>Video call</source>
        <translation>视频通话</translation>
    </message>
    <message>
        <source>Voice call</source>
        <translation>语音通话</translation>
    </message>
    <message>
        <source>Call not answered</source>
        <translation>对方未接听</translation>
    </message>
    <message>
        <source>Missed video call</source>
        <translation>未接视频通话</translation>
    </message>
    <message>
        <source>Missed voice call</source>
        <translation>未接语音通话</translation>
    </message>
    <message>
        <source>Call declined</source>
        <translation>对方已拒绝</translation>
    </message>
    <message>
        <source>You declined the call</source>
        <translation>你已拒绝通话</translation>
    </message>
    <message>
        <source>Busy: they were in another call</source>
        <translation>对方忙线中</translation>
    </message>
    <message>
        <source>Missed call while in a call</source>
        <translation>通话中错过的来电</translation>
    </message>
    <message>
        <source>Call failed</source>
        <translation>通话失败</translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Call with %1</source>
        <translation>与 %1 通话</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>有人</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>正在呼叫…</translation>
    </message>
    <message>
        <source>Incoming video call</source>
        <translation>视频通话来电</translation>
    </message>
    <message>
        <source>Incoming voice call</source>
        <translation>语音通话来电</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Good connection</source>
        <translation>网络良好</translation>
    </message>
    <message>
        <source>Fair connection</source>
        <translation>网络一般</translation>
    </message>
    <message>
        <source>Poor connection</source>
        <translation>网络较差</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Answer without video</source>
        <translation>仅语音接听</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Answer with video</source>
        <translation>视频接听</translation>
    </message>
    <message>
        <source>Turn the microphone back on</source>
        <translation>重新打开麦克风</translation>
    </message>
    <message>
        <source>Turn the microphone off</source>
        <translation>关闭麦克风</translation>
    </message>
    <message>
        <source>Camera on</source>
        <translation>打开摄像头</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>关闭摄像头</translation>
    </message>
    <message>
        <source>Exit full screen</source>
        <translation>退出全屏</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Microphone on</source>
        <translation>打开麦克风</translation>
    </message>
    <message>
        <source>Microphone off</source>
        <translation>关闭麦克风</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Select a chat to start messaging</source>
        <translation>选择一个聊天开始发消息</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Unpin this chat</source>
        <translation>取消置顶此聊天</translation>
    </message>
    <message>
        <source>Pin this chat to the top</source>
        <translation>置顶此聊天</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消免打扰</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>免打扰</translation>
    </message>
    <message>
        <source>Turn notifications for this chat back on</source>
        <translation>恢复此聊天的消息通知</translation>
    </message>
    <message>
        <source>Mute notifications for this chat</source>
        <translation>此聊天消息免打扰</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Group info</source>
        <translation>群聊信息</translation>
    </message>
    <message>
        <source>Profile of %1</source>
        <translation>%1 的资料</translation>
    </message>
    <message>
        <source>This group was dissolved.</source>
        <translation>该群聊已解散。</translation>
    </message>
    <message>
        <source>You are no longer a member of this group.</source>
        <translation>你已不是该群成员。</translation>
    </message>
    <message>
        <source>Only the owner and admins may post in this group.</source>
        <translation>本群仅群主和管理员可发言。</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation><numerusform>已选 %n 条</numerusform></translation>
    </message>
    <message>
        <source>Forward as chat history</source>
        <translation>合并转发</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop selecting messages</source>
        <translation>退出多选</translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <source>Drop files to send them</source>
        <translation>松开即可发送文件</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>语音通话</translation>
    </message>
    <message>
        <source>Voice call with %1</source>
        <translation>与 %1 语音通话</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频通话</translation>
    </message>
    <message>
        <source>Video call with %1</source>
        <translation>与 %1 视频通话</translation>
    </message>
    <message>
        <source>This message is not available</source>
        <translation>此消息已无法查看</translation>
    </message>
    <message>
        <source>The original message is not available</source>
        <translation>原消息已无法查看</translation>
    </message>
    <message numerus="yes">
        <source>↑ %n new message(s)</source>
        <translation><numerusform>↑ %n 条新消息</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Go to the first of %n new message(s)</source>
        <translation><numerusform>跳转到 %n 条新消息中的第一条</numerusform></translation>
    </message>
    <message>
        <source>The first new message is no longer available</source>
        <translation>第一条新消息已无法查看</translation>
    </message>
    <message>
        <source>Jump to the newest message</source>
        <translation>跳到最新消息</translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s) below</source>
        <translation><numerusform>下方有 %n 条新消息</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation><numerusform>%n 条新消息</numerusform></translation>
    </message>
</context>
<context>
    <name>ChatsPage</name>
    <message>
        <source>New group</source>
        <translation>发起群聊</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>No chats yet.
Open Contacts to start one.</source>
        <translation>还没有聊天。
到通讯录里开始一个吧。</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Press Enter to search</source>
        <translation>按回车键搜索</translation>
    </message>
    <message>
        <source>No messages found.</source>
        <translation>没有找到相关消息。</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Search messages for “%1”</source>
        <translation>搜索包含“%1”的聊天记录</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Editing your message</source>
        <translation>正在编辑你的消息</translation>
    </message>
    <message>
        <source>Replying to: %1</source>
        <translation>回复：%1</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Cancel reply</source>
        <translation>取消回复</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>输入消息…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Mention %1</source>
        <translation>提及 %1</translation>
    </message>
    <message>
        <source>Insert emoji</source>
        <translation>插入表情</translation>
    </message>
    <message>
        <source>Send a file or picture</source>
        <translation>发送文件或图片</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>麦克风音量</translation>
    </message>
    <message>
        <source>Send the voice message</source>
        <translation>发送语音消息</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Discard the recording</source>
        <translation>放弃录音</translation>
    </message>
    <message>
        <source>Record a voice message</source>
        <translation>录制语音消息</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Search contacts</source>
        <translation>搜索联系人</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Friend requests</source>
        <translation>好友申请</translation>
    </message>
    <message>
        <source>Friend request from %1</source>
        <translation>来自 %1 的好友申请</translation>
    </message>
    <message>
        <source>Friend request to %1</source>
        <translation>发给 %1 的好友申请</translation>
    </message>
    <message>
        <source>wants to be your friend</source>
        <translation>请求添加你为好友</translation>
    </message>
    <message>
        <source>waiting for an answer</source>
        <translation>等待对方验证</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the request</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>好友</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>通讯录</translation>
    </message>
    <message>
        <source>No contact matches.</source>
        <translation>没有匹配的联系人。</translation>
    </message>
    <message>
        <source>No contacts yet.</source>
        <translation>还没有联系人。</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>已拉黑</translation>
    </message>
    <message>
        <source>Group invitations</source>
        <translation>群邀请</translation>
    </message>
    <message>
        <source>Invitation to %1</source>
        <translation>加入 %1 的邀请</translation>
    </message>
    <message numerus="yes">
        <source>%1 invites you · %n member(s)</source>
        <translation><numerusform>%1 邀请你 · %n 位成员</numerusform></translation>
    </message>
    <message>
        <source>Join</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>Join %1</source>
        <translation>加入 %1</translation>
    </message>
    <message>
        <source>Decline the invitation to %1</source>
        <translation>拒绝加入 %1 的邀请</translation>
    </message>
    <message>
        <source>Requests to join groups</source>
        <translation>入群申请</translation>
    </message>
    <message>
        <source>Declined by the group&apos;s admins</source>
        <translation>群管理员拒绝了申请</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for an admin · %n member(s)</source>
        <translation><numerusform>等待管理员处理 · %n 位成员</numerusform></translation>
    </message>
    <message>
        <source>Request to join %1: %2</source>
        <translation>加入 %1 的申请：%2</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Dismiss the answer from %1</source>
        <translation>关闭 %1 的答复</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Withdraw the request to join %1</source>
        <translation>撤回加入 %1 的申请</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message numerus="yes">
        <source>%n unread</source>
        <translation><numerusform>%n 条未读</numerusform></translation>
    </message>
    <message>
        <source>Draft: %1</source>
        <translation>草稿：%1</translation>
    </message>
    <message>
        <source>[Draft]</source>
        <translation>[草稿]</translation>
    </message>
    <message>
        <source>[@me] </source>
        <translation>[有人@我] </translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>消息免打扰</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Insert %1</source>
        <translation>插入 %1</translation>
    </message>
</context>
<context>
    <name>FileAttachment</name>
    <message>
        <source>Paused · %1</source>
        <translation>已暂停 · %1</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Download original</source>
        <translation>下载原图</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>下载 %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Play voice message</source>
        <translation>播放语音消息</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message numerus="yes">
        <source>Forward %n message(s) as chat history</source>
        <translation><numerusform>合并转发 %n 条消息</numerusform></translation>
    </message>
    <message>
        <source>Forward message</source>
        <translation>转发消息</translation>
    </message>
    <message numerus="yes">
        <source>Send to %n chat(s)</source>
        <translation><numerusform>发送到 %n 个聊天</numerusform></translation>
    </message>
</context>
<context>
    <name>GroupEvent</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>有人</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1 renamed the group to “%2”</source>
        <translation>%1 将群名称改为“%2”</translation>
    </message>
    <message>
        <source>%1 removed the announcement</source>
        <translation>%1 删除了群公告</translation>
    </message>
    <message>
        <source>%1 posted an announcement: %2</source>
        <translation>%1 发布了群公告：%2</translation>
    </message>
    <message>
        <source>%1 allowed only the owner and admins to post</source>
        <translation>%1 开启了仅群主和管理员可发言</translation>
    </message>
    <message>
        <source>%1 allowed everyone to post</source>
        <translation>%1 允许所有人发言</translation>
    </message>
    <message>
        <source>%1 changed who can join</source>
        <translation>%1 修改了入群方式</translation>
    </message>
    <message>
        <source>%1 made a new invite code</source>
        <translation>%1 更换了邀请码</translation>
    </message>
    <message>
        <source>%1 changed the group settings</source>
        <translation>%1 修改了群设置</translation>
    </message>
    <message>
        <source>%1 created the group</source>
        <translation>%1 创建了群聊</translation>
    </message>
    <message>
        <source>%1 added %2</source>
        <translation>%1 邀请 %2 加入了群聊</translation>
    </message>
    <message>
        <source>%1 joined the group</source>
        <translation>%1 加入了群聊</translation>
    </message>
    <message>
        <source>%1 let %2 join</source>
        <translation>%1 同意 %2 入群</translation>
    </message>
    <message>
        <source>%1 left the group</source>
        <translation>%1 退出了群聊</translation>
    </message>
    <message>
        <source>%1 removed %2</source>
        <translation>%1 将 %2 移出了群聊</translation>
    </message>
    <message>
        <source>%1 made %2 an admin</source>
        <translation>%1 将 %2 设为管理员</translation>
    </message>
    <message>
        <source>%1 removed %2 as admin</source>
        <translation>%1 取消了 %2 的管理员身份</translation>
    </message>
    <message>
        <source>%1 made %2 the owner</source>
        <translation>%1 将群主转让给 %2</translation>
    </message>
    <message>
        <source>%1 removed their group nickname</source>
        <translation>%1 删除了群昵称</translation>
    </message>
    <message>
        <source>%1 is now called “%2” in this group</source>
        <translation>%1 的群昵称改为“%2”</translation>
    </message>
    <message>
        <source>%1 dissolved the group</source>
        <translation>%1 解散了群聊</translation>
    </message>
    <message>
        <source>Group update</source>
        <translation>群聊动态</translation>
    </message>
</context>
<context>
    <name>GroupInfoPane</name>
    <message>
        <source>Owner</source>
        <translation>群主</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>This group was dissolved.</source>
        <translation>该群聊已解散。</translation>
    </message>
    <message>
        <source>You are no longer a member of this group.</source>
        <translation>你已不是该群成员。</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation><numerusform>%n 位成员</numerusform></translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>群聊名称</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>改名</translation>
    </message>
    <message>
        <source>Rename the group</source>
        <translation>修改群名称</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>No announcement.</source>
        <translation>暂无公告。</translation>
    </message>
    <message>
        <source>Tell every member something</source>
        <translation>告诉所有成员一件事</translation>
    </message>
    <message>
        <source>Group announcement</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>Post announcement</source>
        <translation>发布公告</translation>
    </message>
    <message>
        <source>My nickname in this group</source>
        <translation>我在本群的昵称</translation>
    </message>
    <message>
        <source>Shown to the group instead of your name</source>
        <translation>在群里代替你的名字显示</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save nickname</source>
        <translation>保存昵称</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Who can join</source>
        <translation>入群方式</translation>
    </message>
    <message>
        <source>By invitation</source>
        <translation>仅限邀请</translation>
    </message>
    <message>
        <source>Admins approve requests</source>
        <translation>需管理员审核</translation>
    </message>
    <message>
        <source>Anyone with the code</source>
        <translation>凭邀请码加入</translation>
    </message>
    <message>
        <source>Invite code</source>
        <translation>邀请码</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>新邀请码</translation>
    </message>
    <message>
        <source>Replace the invite code</source>
        <translation>更换邀请码</translation>
    </message>
    <message>
        <source>Only owner and admins may post</source>
        <translation>仅群主和管理员可发言</translation>
    </message>
    <message>
        <source>Requests to join</source>
        <translation>入群申请</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Let %1 join</source>
        <translation>同意 %1 入群</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Decline %1&apos;s request</source>
        <translation>拒绝 %1 的申请</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>群成员</translation>
    </message>
    <message>
        <source>Invite</source>
        <translation>邀请</translation>
    </message>
    <message>
        <source>Invite friends to this group</source>
        <translation>邀请好友入群</translation>
    </message>
    <message>
        <source>Leave group</source>
        <translation>退出群聊</translation>
    </message>
    <message>
        <source>Dissolve group</source>
        <translation>解散群聊</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1（你）</translation>
    </message>
    <message>
        <source>Actions for %1</source>
        <translation>对 %1 的操作</translation>
    </message>
    <message>
        <source>Remove as admin</source>
        <translation>取消管理员</translation>
    </message>
    <message>
        <source>Make admin</source>
        <translation>设为管理员</translation>
    </message>
    <message>
        <source>Make owner</source>
        <translation>转让群主</translation>
    </message>
    <message>
        <source>Remove from group</source>
        <translation>移出群聊</translation>
    </message>
    <message>
        <source>Leave %1? You can read its history up to now.</source>
        <translation>要退出 %1 吗？你仍可查看截至现在的聊天记录。</translation>
    </message>
    <message>
        <source>Dissolve %1 for every member? This cannot be undone.</source>
        <translation>要为所有成员解散 %1 吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Make %1 the owner? You will be an admin.</source>
        <translation>要把群主转让给 %1 吗？你将成为管理员。</translation>
    </message>
    <message>
        <source>Change the group&apos;s picture</source>
        <translation>更换群头像</translation>
    </message>
    <message>
        <source>Group picture</source>
        <translation>群头像</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Group number</source>
        <translation>群号</translation>
    </message>
    <message>
        <source>Group number, for asking to join</source>
        <translation>群号，用于申请加入</translation>
    </message>
</context>
<context>
    <name>InviteDialog</name>
    <message>
        <source>Invite to %1</source>
        <translation>邀请加入 %1</translation>
    </message>
    <message>
        <source>%1 (in the group)</source>
        <translation>%1（已在群中）</translation>
    </message>
    <message numerus="yes">
        <source>Invite %n friend(s)</source>
        <translation><numerusform>邀请 %n 位好友</numerusform></translation>
    </message>
</context>
<context>
    <name>LocalCache</name>
    <message>
        <source>it was written by a newer version of Tern (schema %1; this one knows %2): use that version, or log out there</source>
        <translation>它由更新版本的 Tern 写入（架构 %1，本版本只认识到 %2）：请使用那个版本，或在那里退出登录</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>Create your Tern account</source>
        <translation>创建 Tern 账号</translation>
    </message>
    <message>
        <source>Log in to Tern</source>
        <translation>登录 Tern</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>chat.example.org:8765</source>
        <translation>chat.example.org:8765</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>How others see you (optional)</source>
        <translation>别人看到的名字（可选）</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Remember me on this computer</source>
        <translation>在这台电脑上记住我</translation>
    </message>
    <message>
        <source>No system keychain is available: your session key will be kept in a file only you can read.</source>
        <translation>系统钥匙串不可用：登录凭据将保存在只有你能读取的文件中。</translation>
    </message>
    <message>
        <source>No system keychain is available: you will have to log in again next time.</source>
        <translation>系统钥匙串不可用：下次需要重新登录。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Sign up</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>I already have an account</source>
        <translation>我已有账号</translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation>注册新账号</translation>
    </message>
    <message>
        <source>Accounts on this computer</source>
        <translation>本机上的账号</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Tern</source>
        <translation>Tern</translation>
    </message>
    <message>
        <source>%1 — Tern</source>
        <translation>%1 — Tern</translation>
    </message>
</context>
<context>
    <name>MainView</name>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>通讯录</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation><numerusform>%n 项待处理</numerusform></translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>Sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>发送失败</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <source>You recalled a message</source>
        <translation>你撤回了一条消息</translation>
    </message>
    <message>
        <source>%1 recalled a message</source>
        <translation>%1 撤回了一条消息</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <source>React</source>
        <translation>表情回应</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Delete for me</source>
        <translation>删除（仅自己）</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>Select this message</source>
        <translation>选择这条消息</translation>
    </message>
    <message>
        <source>Forward…</source>
        <translation>转发…</translation>
    </message>
    <message>
        <source>Select…</source>
        <translation>多选…</translation>
    </message>
    <message>
        <source>Remove your reaction %1</source>
        <translation>取消你的表情回应 %1</translation>
    </message>
    <message>
        <source>Go to the quoted message: %1</source>
        <translation>跳转到引用的消息：%1</translation>
    </message>
    <message>
        <source>Actions for this message</source>
        <translation>此消息的操作</translation>
    </message>
</context>
<context>
    <name>MessageFile</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <source>%1 min left</source>
        <translation>剩余 %1 分钟</translation>
    </message>
    <message>
        <source>%1 h left</source>
        <translation>剩余 %1 小时</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
</context>
<context>
    <name>NewGroupDialog</name>
    <message>
        <source>New group</source>
        <translation>发起群聊</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>群聊名称</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) chosen</source>
        <translation><numerusform>已选择 %n 位成员</numerusform></translation>
    </message>
    <message>
        <source>Create group</source>
        <translation>创建群聊</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>Join the group with this code</source>
        <translation>用此邀请码加入群聊</translation>
    </message>
    <message>
        <source>Your request to join %1 was sent. You will be added when an admin approves it.</source>
        <translation>已发送加入 %1 的申请。管理员同意后你就会入群。</translation>
    </message>
    <message>
        <source>Or join with an invite code or group number</source>
        <translation>或者用邀请码或群号加入群聊</translation>
    </message>
    <message>
        <source>Invite code or number of a group to join</source>
        <translation>要加入的群的邀请码或群号</translation>
    </message>
    <message>
        <source>Ask to join</source>
        <translation>申请加入</translation>
    </message>
    <message>
        <source>Ask the group&apos;s admins to let you in</source>
        <translation>请群管理员同意你加入</translation>
    </message>
    <message>
        <source>A few words for the admins (optional)</source>
        <translation>给管理员的附言（可选）</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>away</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>last seen just now</source>
        <translation>刚刚在线</translation>
    </message>
    <message>
        <source>last seen %1 min ago</source>
        <translation>%1 分钟前在线</translation>
    </message>
    <message>
        <source>last seen today at %1</source>
        <translation>今天 %1 在线</translation>
    </message>
    <message>
        <source>last seen yesterday at %1</source>
        <translation>昨天 %1 在线</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>最后在线 %1</translation>
    </message>
</context>
<context>
    <name>ProfilePane</name>
    <message>
        <source>Select a contact to see their profile</source>
        <translation>选择联系人查看资料</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>昵称：%1</translation>
    </message>
    <message>
        <source>You blocked this person. They cannot message or call you.</source>
        <translation>你已拉黑此人，对方无法给你发消息或打电话。</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>A name only you see</source>
        <translation>只有你能看到的名字</translation>
    </message>
    <message>
        <source>Remark for this contact</source>
        <translation>给此联系人的备注</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save remark</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>发消息</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>取消拉黑</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>拉黑</translation>
    </message>
    <message>
        <source>Unblock %1</source>
        <translation>取消拉黑 %1</translation>
    </message>
    <message>
        <source>Block %1</source>
        <translation>拉黑 %1</translation>
    </message>
    <message>
        <source>Remove friend</source>
        <translation>删除好友</translation>
    </message>
    <message>
        <source>Remove %1 from friends</source>
        <translation>从好友中删除 %1</translation>
    </message>
    <message>
        <source>Remove %1 from your friends? Your chat history stays.</source>
        <translation>要把 %1 从好友中删除吗？聊天记录会保留。</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <source>This chat is not available to you.</source>
        <translation>你无法访问此聊天。</translation>
    </message>
    <message>
        <source>There is no such user.</source>
        <translation>没有这个用户。</translation>
    </message>
    <message>
        <source>A chat needs someone other than you.</source>
        <translation>聊天需要一个除你以外的人。</translation>
    </message>
    <message>
        <source>You are no longer a member of this group.</source>
        <translation>你已不是该群成员。</translation>
    </message>
    <message>
        <source>One of you has blocked the other.</source>
        <translation>你们中的一方已将对方拉黑。</translation>
    </message>
    <message>
        <source>On this server you can only message your friends.</source>
        <translation>在此服务器上，你只能给好友发消息。</translation>
    </message>
    <message>
        <source>The group is muted: only admins may post.</source>
        <translation>本群已开启全员禁言：只有管理员可以发言。</translation>
    </message>
    <message>
        <source>Only group admins may mention everyone.</source>
        <translation>只有群管理员可以@所有人。</translation>
    </message>
    <message>
        <source>You can only mention members of this chat.</source>
        <translation>只能@本聊天中的成员。</translation>
    </message>
    <message>
        <source>The message you reply to is no longer there.</source>
        <translation>你回复的消息已不存在。</translation>
    </message>
    <message>
        <source>That message is no longer there.</source>
        <translation>该消息已不存在。</translation>
    </message>
    <message>
        <source>You can only edit your own messages.</source>
        <translation>只能编辑你自己的消息。</translation>
    </message>
    <message>
        <source>Only texts and captions can be edited.</source>
        <translation>只有文字和说明文字可以编辑。</translation>
    </message>
    <message>
        <source>Too late: the time to edit or recall this message is over.</source>
        <translation>太晚了：这条消息已过了可编辑或撤回的时间。</translation>
    </message>
    <message>
        <source>The message was recalled.</source>
        <translation>该消息已被撤回。</translation>
    </message>
    <message>
        <source>Only its sender or a group admin may recall a message.</source>
        <translation>只有发送者或群管理员可以撤回消息。</translation>
    </message>
    <message>
        <source>The message changed meanwhile: try again.</source>
        <translation>该消息已被更改，请重试。</translation>
    </message>
    <message>
        <source>That is you.</source>
        <translation>这是你自己。</translation>
    </message>
    <message>
        <source>You cannot send this user a friend request.</source>
        <translation>你无法向该用户发送好友申请。</translation>
    </message>
    <message>
        <source>You block this user: unblock them first.</source>
        <translation>你已将该用户拉黑，请先解除拉黑。</translation>
    </message>
    <message>
        <source>The request was already answered, cancelled or has expired.</source>
        <translation>该申请已被处理、取消或已过期。</translation>
    </message>
    <message>
        <source>You are not friends.</source>
        <translation>你们还不是好友。</translation>
    </message>
    <message numerus="yes">
        <source>Too many requests: try again in %n s.</source>
        <translation><numerusform>请求太频繁，请 %n 秒后再试。</numerusform></translation>
    </message>
    <message>
        <source>Too many requests: try again shortly.</source>
        <translation>请求太频繁，请稍后再试。</translation>
    </message>
    <message>
        <source>The server cannot be reached right now: try again shortly.</source>
        <translation>暂时无法连接服务器，请稍后再试。</translation>
    </message>
    <message>
        <source>Too many files are moving at once: try again when one is done.</source>
        <translation>同时传输的文件太多，请等一个完成后再试。</translation>
    </message>
    <message>
        <source>The file is larger than this server accepts.</source>
        <translation>文件超过了服务器允许的大小。</translation>
    </message>
    <message>
        <source>Your storage on the server is full.</source>
        <translation>你在服务器上的存储空间已满。</translation>
    </message>
    <message>
        <source>You have as many files on the server as you may keep.</source>
        <translation>你在服务器上的文件数量已达上限。</translation>
    </message>
    <message>
        <source>This group no longer exists.</source>
        <translation>该群已不存在。</translation>
    </message>
    <message>
        <source>You are not a member of this group.</source>
        <translation>你不是该群成员。</translation>
    </message>
    <message>
        <source>Only the group&apos;s owner and admins may do this.</source>
        <translation>只有群主和管理员可以这样做。</translation>
    </message>
    <message>
        <source>Only the group&apos;s owner may do this.</source>
        <translation>只有群主可以这样做。</translation>
    </message>
    <message>
        <source>That user cannot be added to a group by you.</source>
        <translation>你无法把该用户拉进群。</translation>
    </message>
    <message>
        <source>The group has as many members as it may have.</source>
        <translation>群成员已达上限。</translation>
    </message>
    <message>
        <source>You cannot do this to yourself.</source>
        <translation>不能对自己这样做。</translation>
    </message>
    <message>
        <source>That user is not a member of this group.</source>
        <translation>该用户不是本群成员。</translation>
    </message>
    <message>
        <source>Nobody can remove the group&apos;s owner.</source>
        <translation>任何人都不能移除群主。</translation>
    </message>
    <message>
        <source>Only the group&apos;s owner may remove an admin.</source>
        <translation>只有群主可以移除管理员。</translation>
    </message>
    <message>
        <source>The owner cannot leave: transfer ownership or dissolve the group first.</source>
        <translation>群主不能退群：请先转让群主或解散该群。</translation>
    </message>
    <message>
        <source>You are a member of this group already.</source>
        <translation>你已经是该群成员。</translation>
    </message>
    <message>
        <source>This group does not take requests to join.</source>
        <translation>该群不接受入群申请。</translation>
    </message>
    <message>
        <source>The invitation is no longer there.</source>
        <translation>该邀请已不存在。</translation>
    </message>
    <message>
        <source>The request to join is no longer there.</source>
        <translation>该入群申请已不存在。</translation>
    </message>
    <message>
        <source>This was answered or cancelled already.</source>
        <translation>已被处理或已取消。</translation>
    </message>
    <message>
        <source>No open group has this invite code.</source>
        <translation>没有使用此邀请码的公开群。</translation>
    </message>
    <message>
        <source>The group has no invite code: it is not open to join.</source>
        <translation>该群没有邀请码：它不公开加入。</translation>
    </message>
    <message>
        <source>That friend request no longer exists.</source>
        <translation>该好友申请已不存在。</translation>
    </message>
    <message>
        <source>The search took too long: use more characters, or search one chat.</source>
        <translation>搜索用时过长：请多输入几个字，或只在一个聊天中搜索。</translation>
    </message>
    <message>
        <source>You can only call your friends.</source>
        <translation>你只能与好友通话。</translation>
    </message>
    <message>
        <source>You are in a call already: end it first.</source>
        <translation>你已在通话中，请先结束它。</translation>
    </message>
    <message>
        <source>The call is over.</source>
        <translation>通话已结束。</translation>
    </message>
    <message>
        <source>The call was answered on another of your devices.</source>
        <translation>通话已在你的另一台设备上接听。</translation>
    </message>
    <message>
        <source>The call was answered already: hang up instead.</source>
        <translation>通话已接通，请改为挂断。</translation>
    </message>
    <message>
        <source>The call is on another of your devices.</source>
        <translation>通话在你的另一台设备上进行。</translation>
    </message>
    <message>
        <source>%1 cannot be added to a group by you.</source>
        <translation>你无法将 %1 加入群聊。</translation>
    </message>
    <message>
        <source>%1 is not a member of this group.</source>
        <translation>%1 不是此群的成员。</translation>
    </message>
    <message>
        <source>Choose at most 100 people at a time.</source>
        <translation>一次最多选择 100 人。</translation>
    </message>
    <message>
        <source>This name cannot be used: it is too long, or has a tab or another control character.</source>
        <translation>无法使用此名称：名称过长，或包含制表符等控制字符。</translation>
    </message>
    <message>
        <source>200 of your requests to join groups are waiting already.</source>
        <translation>你已有 200 个入群申请在等待处理。</translation>
    </message>
    <message>
        <source>200 of your friend requests are waiting already.</source>
        <translation>你已有 200 个好友请求在等待回复。</translation>
    </message>
    <message>
        <source>You have made 500 groups that still exist or are less than a day old.</source>
        <translation>你创建的群中已有 500 个仍然存在或创建不足一天。</translation>
    </message>
    <message>
        <source>200 of your invitations to groups are waiting already.</source>
        <translation>你已有 200 个入群邀请在等待对方回应。</translation>
    </message>
    <message>
        <source>You cannot ask to join this group.</source>
        <translation>你无法申请加入这个群。</translation>
    </message>
    <message>
        <source>You asked to join this group 3 times within a day: try again later.</source>
        <translation>你一天内已申请加入这个群 3 次，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主题</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>个人资料</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>What&apos;s up? (shown to friends)</source>
        <translation>个性签名（好友可见）</translation>
    </message>
    <message>
        <source>Status line</source>
        <translation>个性签名</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存资料</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>登录设备</translation>
    </message>
    <message>
        <source>%1 (this device)</source>
        <translation>%1（本机）</translation>
    </message>
    <message>
        <source>Log out device</source>
        <translation>下线该设备</translation>
    </message>
    <message>
        <source>Log out %1</source>
        <translation>让 %1 下线</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>隐私</translation>
    </message>
    <message>
        <source>Who can find me by name</source>
        <translation>谁可以通过名字找到我</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>好友</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>没有人</translation>
    </message>
    <message>
        <source>Who sees when I am online</source>
        <translation>谁可以看到我在线</translation>
    </message>
    <message>
        <source>Who can add me to groups</source>
        <translation>谁可以拉我进群</translation>
    </message>
    <message>
        <source>Nobody (I accept invitations)</source>
        <translation>没有人（需我同意邀请）</translation>
    </message>
    <message>
        <source>Blocked people</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <source>You have not blocked anyone.</source>
        <translation>你还没有拉黑任何人。</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>取消拉黑</translation>
    </message>
    <message>
        <source>Unblock %1</source>
        <translation>取消拉黑 %1</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Desktop notifications for new messages</source>
        <translation>新消息桌面通知</translation>
    </message>
    <message>
        <source>Show the message text in notifications</source>
        <translation>通知中显示消息内容</translation>
    </message>
    <message>
        <source>Play sounds for calls and messages</source>
        <translation>为通话和消息播放提示音</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>The new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message numerus="yes">
        <source>Password changed. %n other device(s) logged out.</source>
        <translation><numerusform>密码已修改，%n 台其他设备已退出登录。</numerusform></translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>(this window)</source>
        <translation>（当前窗口）</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>切换</translation>
    </message>
    <message>
        <source>Switch to %1</source>
        <translation>切换到 %1</translation>
    </message>
    <message>
        <source>Add another account</source>
        <translation>添加其他账号</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Change the download folder</source>
        <translation>更改下载文件夹</translation>
    </message>
    <message>
        <source>Save downloads in</source>
        <translation>下载保存到</translation>
    </message>
    <message>
        <source>Change photo…</source>
        <translation>更换头像…</translation>
    </message>
    <message>
        <source>Change your photo</source>
        <translation>更换你的头像</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>移除头像</translation>
    </message>
    <message>
        <source>Your photo</source>
        <translation>你的头像</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message numerus="yes">
        <source>New password (at least %n characters)</source>
        <translation><numerusform>新密码（至少 %n 个字符）</numerusform></translation>
    </message>
    <message>
        <source>Share read receipts (off: others do not see when I read, and I stop seeing when they read)</source>
        <translation>发送已读回执（关闭后：别人看不到我是否已读，我也不再看到别人是否已读）</translation>
    </message>
    <message>
        <source>Read receipts</source>
        <translation>已读回执</translation>
    </message>
    <message>
        <source>Log out of %1 on this computer?</source>
        <translation>要在这台电脑上退出 %1 吗？</translation>
    </message>
    <message>
        <source>Also remove this account&apos;s messages and files from this computer</source>
        <translation>同时从这台电脑上删除此账号的消息和文件</translation>
    </message>
    <message>
        <source>Files you saved to your downloads folder stay.</source>
        <translation>你保存到下载文件夹中的文件会保留。</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>Invisible</source>
        <translation>隐身</translation>
    </message>
    <message>
        <source>Shown as away after 10 minutes without using Tern</source>
        <translation>10 分钟未使用 Tern 后显示为离开</translation>
    </message>
    <message>
        <source>Shown as away until you choose Online</source>
        <translation>显示为离开，直到你选择“在线”</translation>
    </message>
    <message>
        <source>Appear offline to everyone</source>
        <translation>对所有人显示为离线</translation>
    </message>
</context>
<context>
    <name>StatusBanner</name>
    <message>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message numerus="yes">
        <source>Catching up: %n chat(s) to go</source>
        <translation><numerusform>正在同步：还有 %n 个聊天</numerusform></translation>
    </message>
    <message>
        <source>Catching up…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>This computer&apos;s copy of your chats was damaged: it was set aside and loaded again from the server.</source>
        <translation>这台电脑上的聊天副本已损坏：已将其移到一旁，并从服务器重新载入。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>username must be %1 to %2 characters long</source>
        <translation>用户名长度须为 %1 到 %2 个字符。</translation>
    </message>
    <message>
        <source>username must start with a letter</source>
        <translation>用户名须以字母开头。</translation>
    </message>
    <message>
        <source>username may contain only letters a-z, digits, &apos;_&apos; and &apos;.&apos;</source>
        <translation>用户名只能包含字母 a-z、数字、“_”和“.”。</translation>
    </message>
    <message>
        <source>username may not contain &quot;..&quot;</source>
        <translation>用户名不能包含“..”。</translation>
    </message>
    <message>
        <source>username may not end with &apos;.&apos;</source>
        <translation>用户名不能以“.”结尾。</translation>
    </message>
    <message>
        <source>display name is not valid UTF-8</source>
        <translation>显示名称不是有效的 UTF-8。</translation>
    </message>
    <message>
        <source>display name may be at most %1 characters long</source>
        <translation>显示名称最多 %1 个字符。</translation>
    </message>
    <message>
        <source>display name may not contain control characters</source>
        <translation>显示名称不能包含控制字符。</translation>
    </message>
    <message>
        <source>display name may not be only white space</source>
        <translation>显示名称不能只有空白。</translation>
    </message>
    <message>
        <source>password is not valid UTF-8</source>
        <translation>密码不是有效的 UTF-8。</translation>
    </message>
    <message>
        <source>password must be %1 to %2 characters long</source>
        <translation>密码长度须为 %1 到 %2 个字符。</translation>
    </message>
</context>
<context>
    <name>tern::client::Account</name>
    <message>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>That username is taken.</source>
        <translation>该用户名已被占用。</translation>
    </message>
    <message>
        <source>This account is suspended.</source>
        <translation>该账号已被停用。</translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation><numerusform>尝试次数过多，请 %n 秒后再试。</numerusform></translation>
    </message>
    <message>
        <source>Give the group a name.</source>
        <translation>请为群聊取个名字。</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已退出登录</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message numerus="yes">
        <source>Offline — retrying in %n s</source>
        <translation><numerusform>已离线 — %n 秒后重试</numerusform></translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群聊</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>当前密码不正确。</translation>
    </message>
    <message>
        <source>Enter the group&apos;s invite code.</source>
        <translation>请输入群邀请码。</translation>
    </message>
    <message>
        <source>A group number has only digits.</source>
        <translation>群号只包含数字。</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message numerus="yes">
        <source>Offline (%1) — retrying in %n s</source>
        <translation><numerusform>离线（%1）— %n 秒后重试</numerusform></translation>
    </message>
</context>
<context>
    <name>tern::client::AccountManager</name>
    <message>
        <source>The local cache could not be opened: %1</source>
        <translation>无法打开本地缓存：%1</translation>
    </message>
    <message>
        <source>Enter a server address such as chat.example.org:8765.</source>
        <translation>请输入服务器地址，例如 chat.example.org:8765。</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>tern::client::AvatarCache</name>
    <message>
        <source>%1 is not a picture this app can read</source>
        <translation>%1 不是可以读取的图片</translation>
    </message>
    <message>
        <source>the picture could not be prepared</source>
        <translation>无法处理这张图片</translation>
    </message>
    <message>
        <source>the upload did not complete</source>
        <translation>上传未完成</translation>
    </message>
</context>
<context>
    <name>tern::client::Calls</name>
    <message>
        <source>Call ended</source>
        <translation>通话已结束</translation>
    </message>
    <message>
        <source>The call was declined</source>
        <translation>对方已拒绝</translation>
    </message>
    <message>
        <source>Busy: in another call</source>
        <translation>对方忙线中</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>Call cancelled</source>
        <translation>已取消通话</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>The connection was lost</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>Answered on another device</source>
        <translation>已在其他设备上接听</translation>
    </message>
    <message>
        <source>The server gave an unexpected answer.</source>
        <translation>服务器返回了意外的应答。</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已退出登录</translation>
    </message>
    <message>
        <source>You are already in a call.</source>
        <translation>你正在通话中。</translation>
    </message>
    <message>
        <source>Calls need a connection to the server.</source>
        <translation>通话需要连接到服务器。</translation>
    </message>
    <message>
        <source>The call failed: %1</source>
        <translation>通话失败：%1</translation>
    </message>
    <message>
        <source>The connection to %1 failed.</source>
        <translation>与 %1 的连接失败。</translation>
    </message>
    <message>
        <source>You declined the call</source>
        <translation>你已拒绝通话</translation>
    </message>
</context>
<context>
    <name>tern::client::ConversationListModel</name>
    <message>
        <source>Message recalled</source>
        <translation>消息已撤回</translation>
    </message>
    <message>
        <source>Group update</source>
        <translation>群聊动态</translation>
    </message>
    <message>
        <source>[Photo]</source>
        <translation>[图片]</translation>
    </message>
    <message>
        <source>[File] %1</source>
        <translation>[文件] %1</translation>
    </message>
    <message>
        <source>[Voice message]</source>
        <translation>[语音]</translation>
    </message>
    <message>
        <source>[Video]</source>
        <translation>[视频]</translation>
    </message>
    <message>
        <source>[Chat history]</source>
        <translation>[聊天记录]</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>[Video call]</source>
        <translation>[视频通话]</translation>
    </message>
    <message>
        <source>[Voice call]</source>
        <translation>[语音通话]</translation>
    </message>
</context>
<context>
    <name>tern::client::DeviceListModel</name>
    <message>
        <source>Unnamed device</source>
        <translation>未命名设备</translation>
    </message>
</context>
<context>
    <name>tern::client::FileTokenStore</name>
    <message>
        <source>a file on this computer</source>
        <translation>这台电脑上的文件</translation>
    </message>
</context>
<context>
    <name>tern::client::GroupMemberModel</name>
    <message>
        <source>everyone in the group</source>
        <translation>群里所有人</translation>
    </message>
</context>
<context>
    <name>tern::client::KeychainTokenStore</name>
    <message>
        <source>the system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
</context>
<context>
    <name>tern::client::MediaSession</name>
    <message>
        <source>The GStreamer element %1 is missing; install the GStreamer plugins (good, bad, nice).</source>
        <translation>缺少 GStreamer 组件 %1；请安装 GStreamer 插件（good、bad、nice）。</translation>
    </message>
    <message>
        <source>The call&apos;s media pipeline could not start.</source>
        <translation>无法启动通话的媒体管线。</translation>
    </message>
    <message>
        <source>No camera was found: the other side will not see you.</source>
        <translation>未找到摄像头：对方将看不到你。</translation>
    </message>
    <message>
        <source>No microphone was found: the other side will not hear you.</source>
        <translation>未找到麦克风：对方将听不到你。</translation>
    </message>
    <message>
        <source>The microphone could not be used: %1</source>
        <translation>无法使用麦克风：%1</translation>
    </message>
    <message>
        <source>The camera could not be used: %1</source>
        <translation>无法使用摄像头：%1</translation>
    </message>
    <message>
        <source>The call could not be negotiated.</source>
        <translation>无法建立通话。</translation>
    </message>
    <message>
        <source>The other side sent a description that cannot be read.</source>
        <translation>对方发送的会话描述无法读取。</translation>
    </message>
    <message>
        <source>The camera “%1” is not there: using the default one.</source>
        <translation>未找到摄像头“%1”：改用默认摄像头。</translation>
    </message>
    <message>
        <source>The microphone “%1” is not there: using the default one.</source>
        <translation>未找到麦克风“%1”：改用默认麦克风。</translation>
    </message>
    <message>
        <source>The other side&apos;s video cannot be shown here.</source>
        <translation>无法在此显示对方的视频。</translation>
    </message>
    <message>
        <source>The other side takes no video this side can send.</source>
        <translation>对方无法接收本机可发送的视频格式。</translation>
    </message>
</context>
<context>
    <name>tern::client::MessageActions</name>
    <message numerus="yes">
        <source>Too many searches: try again in %n s.</source>
        <translation><numerusform>搜索太频繁，请 %n 秒后再试。</numerusform></translation>
    </message>
    <message>
        <source>That search took too long on the server: use more characters.</source>
        <translation>服务器上的搜索耗时过长，请输入更多字符。</translation>
    </message>
    <message>
        <source>The server cannot search now: only this device&apos;s messages are shown.</source>
        <translation>服务器暂时无法搜索，仅显示本设备上的消息。</translation>
    </message>
</context>
<context>
    <name>tern::client::MessageModel</name>
    <message>
        <source>Earlier message</source>
        <translation>较早的消息</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>有人</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 正在输入…</translation>
    </message>
    <message>
        <source>%1 are typing…</source>
        <translation>%1 正在输入…</translation>
    </message>
    <message numerus="yes">
        <source>… %n more</source>
        <translation><numerusform>… 还有 %n 条</numerusform></translation>
    </message>
    <message>
        <source>Chat history of %1</source>
        <translation>%1 的聊天记录</translation>
    </message>
    <message>
        <source>Chat history</source>
        <translation>聊天记录</translation>
    </message>
    <message>
        <source>The pasted image could not be saved</source>
        <translation>无法保存粘贴的图片</translation>
    </message>
    <message numerus="yes">
        <source>Not sent: a message may have at most %n characters.</source>
        <translation><numerusform>未发送：一条消息最多 %n 个字符。</numerusform></translation>
    </message>
    <message>
        <source>Not sent: the message could not be saved on this computer.</source>
        <translation>未发送：无法在本机保存这条消息。</translation>
    </message>
</context>
<context>
    <name>tern::client::Notifier</name>
    <message>
        <source>New message</source>
        <translation>新消息</translation>
    </message>
    <message>
        <source>%1 is calling</source>
        <translation>%1 来电</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>有人</translation>
    </message>
    <message>
        <source>Incoming video call</source>
        <translation>视频通话来电</translation>
    </message>
    <message>
        <source>Incoming voice call</source>
        <translation>语音通话来电</translation>
    </message>
    <message>
        <source>%1 wants to be your friend</source>
        <translation>%1 请求添加你为好友</translation>
    </message>
    <message>
        <source>Friend request</source>
        <translation>好友申请</translation>
    </message>
    <message>
        <source>Group invitation</source>
        <translation>群邀请</translation>
    </message>
    <message>
        <source>%1 invited you to %2</source>
        <translation>%1 邀请你加入 %2</translation>
    </message>
</context>
<context>
    <name>tern::client::Preferences</name>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>tern::client::ServerConnection</name>
    <message>
        <source>The server answered Hello with something other than Welcome.</source>
        <translation>服务器的握手应答无效。</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>服务器没有响应。</translation>
    </message>
    <message>
        <source>The connection went silent.</source>
        <translation>连接已中断。</translation>
    </message>
    <message>
        <source>The connection was closed (code %1).</source>
        <translation>连接已关闭（代码 %1）。</translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>与服务器的连接已断开。</translation>
    </message>
</context>
<context>
    <name>tern::client::Session</name>
    <message>
        <source>Your password was changed on another device. Log in again.</source>
        <translation>密码已在其他设备上修改，请重新登录。</translation>
    </message>
    <message>
        <source>This account was suspended by the server&apos;s administrator.</source>
        <translation>该账号已被服务器管理员停用。</translation>
    </message>
    <message>
        <source>This device was logged out.</source>
        <translation>此设备已退出登录。</translation>
    </message>
    <message>
        <source>This device&apos;s session has ended. Log in again.</source>
        <translation>此设备的会话已结束，请重新登录。</translation>
    </message>
    <message>
        <source>The server could not be reached.</source>
        <translation>无法连接服务器。</translation>
    </message>
    <message>
        <source>The server could not be reached: %1</source>
        <translation>无法连接服务器：%1</translation>
    </message>
</context>
<context>
    <name>tern::client::Transfers</name>
    <message>
        <source>%1 cannot be read</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 是空文件</translation>
    </message>
    <message>
        <source>%1 is larger than this server accepts (%2 MB)</source>
        <translation>%1 超过了服务器允许的大小（%2 MB）</translation>
    </message>
    <message>
        <source>the message could not be stored</source>
        <translation>无法保存这条消息</translation>
    </message>
    <message>
        <source>the transfer could not be stored</source>
        <translation>无法保存传输记录</translation>
    </message>
    <message>
        <source>this file is not on the server yet</source>
        <translation>该文件尚未上传到服务器</translation>
    </message>
    <message>
        <source>the folder %1 cannot be made</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>the file cannot be read any more</source>
        <translation>文件已无法读取</translation>
    </message>
    <message>
        <source>the file changed after it was chosen; send it again</source>
        <translation>文件在选择后被修改，请重新发送</translation>
    </message>
    <message>
        <source>the file changed or was removed while it was being sent</source>
        <translation>发送过程中文件被修改或删除</translation>
    </message>
    <message>
        <source>the download was damaged on the way; try again</source>
        <translation>下载内容在传输中损坏，请重试</translation>
    </message>
    <message>
        <source>cannot save %1</source>
        <translation>无法保存 %1</translation>
    </message>
    <message>
        <source>this file is no longer available to you</source>
        <translation>你已无法下载此文件</translation>
    </message>
    <message>
        <source>the file changed while it was being sent; send it again</source>
        <translation>发送过程中文件被修改，请重新发送</translation>
    </message>
    <message>
        <source>the server refused the transfer</source>
        <translation>服务器拒绝了此次传输</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>tern::client::TrayIcon</name>
    <message>
        <source>Show Tern</source>
        <translation>显示 Tern</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message numerus="yes">
        <source>Tern — %n unread</source>
        <translation><numerusform>Tern — %n 条未读</numerusform></translation>
    </message>
    <message>
        <source>Tern</source>
        <translation>Tern</translation>
    </message>
</context>
<context>
    <name>tern::client::UserSearchModel</name>
    <message>
        <source>Nobody found. Check the username.</source>
        <translation>未找到用户，请检查用户名。</translation>
    </message>
</context>
<context>
    <name>tern::client::VoiceRecorder</name>
    <message>
        <source>No microphone was found</source>
        <translation>未找到麦克风</translation>
    </message>
    <message>
        <source>There is no folder to record into</source>
        <translation>没有可用于保存录音的文件夹</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>The microphone could not be opened</source>
        <translation>无法打开麦克风</translation>
    </message>
    <message>
        <source>Nothing was recorded</source>
        <translation>没有录到任何声音</translation>
    </message>
</context>
</TS>
