-- 0024: `saldo mail-in` answers a sender it does not know at most once a day:
-- one row per (address, UTC day number) an auto-reply was queued for. Owned by
-- src/feature/support (support_mail_in.c).
CREATE TABLE support_mail_in_replies (
    address TEXT NOT NULL CHECK (length(address) BETWEEN 3 AND 254),
    day     INTEGER NOT NULL,
    PRIMARY KEY (address, day)
) STRICT;
