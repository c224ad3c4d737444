#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Fills tern_zh_CN.ts from the table below (source text -> Simplified Chinese). Run after
# `cmake --build build/ci --target update_translations` added new strings; a string missing
# here stays unfinished and scripts/lint reports it. Usage: translations/fill_zh_CN.py
import html
import pathlib
import re
import sys

ZH = {
    "Add friend": "添加好友",
    "Username or name": "用户名或昵称",
    "Find people": "查找用户",
    "Search": "搜索",
    "Say hello (optional)": "打个招呼（可选）",
    "Greeting": "验证消息",
    "Friends": "好友",
    "Sent": "已发送",
    "Add": "添加",
    "Send a friend request to %1": "向 %1 发送好友申请",
    "Select a chat to start messaging": "选择一个聊天开始发消息",
    "Messages": "消息",
    "Search messages": "搜索聊天记录",
    "New group": "发起群聊",
    "Conversations": "会话",
    "No chats yet.\nOpen Contacts to start one.": "还没有聊天。\n到通讯录里开始一个吧。",
    "Search results": "搜索结果",
    "Searching…": "正在搜索…",
    "Press Enter to search": "按回车键搜索",
    "Editing your message": "正在编辑你的消息",
    "Replying to: %1": "回复：%1",
    "Cancel editing": "取消编辑",
    "Cancel reply": "取消回复",
    "Write a message…": "输入消息…",
    "Message": "消息",
    "Save": "保存",
    "Send": "发送",
    "Search contacts": "搜索联系人",
    "Friend requests": "好友申请",
    "Friend request from %1": "来自 %1 的好友申请",
    "Friend request to %1": "发给 %1 的好友申请",
    "wants to be your friend": "请求添加你为好友",
    "waiting for an answer": "等待对方验证",
    "Accept": "接受",
    "Decline": "拒绝",
    "Cancel": "取消",
    "Cancel the request": "撤回申请",
    "Contacts": "通讯录",
    "No contact matches.": "没有匹配的联系人。",
    "No contacts yet.": "还没有联系人。",
    "%n unread": "%n 条未读",
    "[@me] ": "[有人@我] ",
    "Pinned": "已置顶",
    "Muted": "消息免打扰",
    "Create your Tern account": "创建 Tern 账号",
    "Log in to Tern": "登录 Tern",
    "Server": "服务器",
    "chat.example.org:8765": "chat.example.org:8765",
    "Server address": "服务器地址",
    "Username": "用户名",
    "Display name": "昵称",
    "How others see you (optional)": "别人看到的名字（可选）",
    "Password": "密码",
    "Remember me on this computer": "在这台电脑上记住我",
    "No system keychain is available: your session key will be kept in a file only you can read.":
        "系统钥匙串不可用：登录凭据将保存在只有你能读取的文件中。",
    "No system keychain is available: you will have to log in again next time.":
        "系统钥匙串不可用：下次需要重新登录。",
    "Connecting…": "正在连接…",
    "Sign up": "注册",
    "Log in": "登录",
    "I already have an account": "我已有账号",
    "Create an account": "注册新账号",
    "Tern — %1": "Tern — %1",
    "Tern": "Tern",
    "Chats": "聊天",
    "Settings": "设置",
    "Sending…": "发送中…",
    "Not sent": "发送失败",
    "Delivered": "已送达",
    "Read": "已读",
    "You recalled a message": "你撤回了一条消息",
    "%1 recalled a message": "%1 撤回了一条消息",
    "Reply": "回复",
    "Copy": "复制",
    "React": "表情回应",
    "Edit": "编辑",
    "Recall": "撤回",
    "Delete for me": "删除（仅自己）",
    "Retry": "重试",
    "Discard": "放弃",
    "edited": "已编辑",
    "Group name": "群聊名称",
    "%n member(s) chosen": "已选择 %n 位成员",
    "Create group": "创建群聊",
    "Dark theme": "深色主题",
    "Log out": "退出登录",
    "Language": "语言",
    "Retry now": "立即重试",
    "Wrong username or password.": "用户名或密码错误。",
    "That username is taken.": "该用户名已被占用。",
    "This account is suspended.": "该账号已被停用。",
    "Too many attempts. Try again in %n second(s).": "尝试次数过多，请 %n 秒后再试。",
    "Give the group a name.": "请为群聊取个名字。",
    "Logged out": "已退出登录",
    "Online": "在线",
    "Offline — retrying in %n s": "已离线 — %n 秒后重试",
    "Group": "群聊",
    "The local cache could not be opened: %1": "无法打开本地缓存：%1",
    "Enter a server address such as chat.example.org:8765.": "请输入服务器地址，例如 chat.example.org:8765。",
    "Enter your username and password.": "请输入用户名和密码。",
    "Message recalled": "消息已撤回",
    "Group update": "群聊动态",
    "[Photo]": "[图片]",
    "[File] %1": "[文件] %1",
    "[Voice message]": "[语音]",
    "[Video]": "[视频]",
    "[Chat history]": "[聊天记录]",
    "Loading…": "加载中…",
    "a file on this computer": "这台电脑上的文件",
    "the system keychain": "系统钥匙串",
    "Earlier message": "较早的消息",
    "System language": "跟随系统",
    "The server answered Hello with something other than Welcome.": "服务器的握手应答无效。",
    "The server stopped answering.": "服务器没有响应。",
    "The connection went silent.": "连接已中断。",
    "The connection was closed (code %1).": "连接已关闭（代码 %1）。",
    "The connection to the server was lost.": "与服务器的连接已断开。",
    "Your password was changed on another device. Log in again.": "密码已在其他设备上修改，请重新登录。",
    "This account was suspended by the server's administrator.": "该账号已被服务器管理员停用。",
    "This device was logged out.": "此设备已退出登录。",
    "Nobody found. Check the username.": "未找到用户，请检查用户名。",
    "Profile": "个人资料",
    "What's up? (shown to friends)": "个性签名（好友可见）",
    "Status line": "个性签名",
    "Save profile": "保存资料",
    "Appearance": "外观",
    "Devices": "登录设备",
    "%1 (this device)": "%1（本机）",
    "Log out device": "下线该设备",
    "Log out %1": "让 %1 下线",
    "Unnamed device": "未命名设备",
    "Pin": "置顶",
    "Unpin": "取消置顶",
    "Pin this chat to the top": "置顶此聊天",
    "Unpin this chat": "取消置顶此聊天",
    "Mute": "免打扰",
    "Unmute": "取消免打扰",
    "Mute notifications for this chat": "此聊天消息免打扰",
    "Turn notifications for this chat back on": "恢复此聊天的消息通知",
    "Someone": "有人",
    "%1 is typing…": "%1 正在输入…",
    "%1 are typing…": "%1 正在输入…",
    "Show Tern": "显示 Tern",
    "Quit": "退出",
    "Tern — %n unread": "Tern — %n 条未读",
}


def fill(path):
    text = path.read_text(encoding="utf-8")
    missing = []

    def message(m):
        block = m.group(0)
        source = html.unescape(re.search(r"<source>(.*?)</source>", block, re.S).group(1))
        zh = ZH.get(source)
        if zh is None:
            missing.append(source)
            return block
        escaped = html.escape(zh, quote=False)
        if 'numerus="yes"' in block:
            translation = f"<translation><numerusform>{escaped}</numerusform></translation>"
        else:
            translation = f"<translation>{escaped}</translation>"
        return re.sub(r"<translation[^>]*>.*?</translation>|<translation[^>]*/>", translation, block, flags=re.S)

    text = re.sub(r"<message[^>]*>.*?</message>", message, text, flags=re.S)
    path.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    ts = pathlib.Path(__file__).with_name("tern_zh_CN.ts")
    missing = fill(ts)
    for source in missing:
        print(f"fill_zh_CN: no translation for: {source!r}", file=sys.stderr)
    sys.exit(1 if missing else 0)
