#!/usr/bin/python3
"""A real SMTP server for saldo's tests (python3-aiosmtpd), on loopback.

Usage: smtp_server.py PORT DIR [DEFER]. The first DEFER messages (default 0) are
answered 451 (try again later), as a busy server does. Every message received is decoded and written to
DIR/NNNNNN.json as {"from", "to", "subject", "text", "headers", "attachments"}
(each attachment {"filename", "content_type", "base64"}: the decoded bytes,
base64 again for JSON); the server
prints "ready" once it accepts connections and stops when stdin closes."""
import base64
import email
import json
import os
import sys
from email import policy

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self, folder, defer):
        self.folder = folder
        self.defer = defer
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.defer > 0:
            self.defer -= 1
            return '451 4.3.0 try again later'
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        part = msg.get_body(preferencelist=('plain', 'html'))
        self.count += 1
        record = {
            'from': envelope.mail_from,
            'to': envelope.rcpt_tos,
            'subject': str(msg.get('subject', '')),
            'text': part.get_content() if part is not None else '',
            'headers': {k: str(v) for k, v in msg.items()},
            'attachments': [{'filename': a.get_filename(), 'content_type': a.get_content_type(),
                             'base64': base64.b64encode(a.get_payload(decode=True)).decode('ascii')}
                            for a in msg.iter_attachments()] if msg.is_multipart() else [],
        }
        path = os.path.join(self.folder, '%06d.json' % self.count)
        with open(path + '.tmp', 'w') as f:
            json.dump(record, f)
        os.rename(path + '.tmp', path)
        return '250 OK'


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    defer = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Mailbox(folder, defer), hostname='127.0.0.1', port=port)
    controller.start()
    print('ready', flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == '__main__':
    main()
