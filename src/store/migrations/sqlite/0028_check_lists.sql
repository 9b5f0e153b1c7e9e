-- 0028: the CHECK enumerations and the one partial index predicate written as
-- `x IN ('a', 'b', 'c')` become `(x = 'a' OR x = 'b' OR x = 'c')`: the same
-- constraint (NULL passes both, anything else must equal one of the values).
--
-- Why: SQLite 3.40 evaluates an IN list of more than two constants by filling
-- a temporary B-tree with the list, on every execution of every INSERT (and of
-- every UPDATE of the column). A document row has five such lists: about
-- 12 us of a 64 us renewal in the billing run (docs/PERFORMANCE.md). An OR
-- chain of equalities costs a few comparisons.
--
-- How: the procedure of SQLite's documentation for changing constraints the
-- stored rows already satisfy ("Making Other Kinds Of Table Schema Changes"):
-- the definitions in sqlite_schema are edited in place; nothing on disk but
-- the definitions changes. writable_schema=RESET reloads this connection's
-- schema; the table created and dropped at the end bumps the schema cookie,
-- so every other open connection reloads it too. tests/store/test_sqlite_checks
-- proves no INSERT of any table builds a temporary B-tree any more.
-- Rule for new migrations: write enumerations as OR chains (docs/ARCHITECTURE.md).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''person'', ''company'', ''public_administration'')',
    '(kind = ''person'' OR kind = ''company'' OR kind = ''public_administration'')')
    WHERE type = 'table' AND name = 'orgs';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''web'', ''api'', ''token'')',
    '(kind = ''web'' OR kind = ''api'' OR kind = ''token'')')
    WHERE type = 'table' AND name = 'sessions';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''pending'', ''sent'', ''failed'')',
    '(status = ''pending'' OR status = ''sent'' OR status = ''failed'')')
    WHERE type = 'table' AND name = 'outbox';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''billing'', ''support'', ''abuse'', ''status'')',
    '(kind = ''billing'' OR kind = ''support'' OR kind = ''abuse'' OR kind = ''status'')')
    WHERE type = 'table' AND name = 'notification_addresses';
UPDATE sqlite_schema SET sql = replace(sql, 'period_months IN (1, 3, 6, 12, 24, 36, 48, 60)',
    '(period_months = 1 OR period_months = 3 OR period_months = 6 OR period_months = 12 OR period_months = 24 OR period_months = 36 OR period_months = 48 OR period_months = 60)')
    WHERE type = 'table' AND name = 'catalog_prices';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''pending'', ''active'', ''suspended'', ''terminated'', ''cancelled'')',
    '(status = ''pending'' OR status = ''active'' OR status = ''suspended'' OR status = ''terminated'' OR status = ''cancelled'')')
    WHERE type = 'table' AND name = 'services';
UPDATE sqlite_schema SET sql = replace(sql, 'period_months IN (1, 3, 6, 12, 24, 36, 48, 60)',
    '(period_months = 1 OR period_months = 3 OR period_months = 6 OR period_months = 12 OR period_months = 24 OR period_months = 36 OR period_months = 48 OR period_months = 60)')
    WHERE type = 'table' AND name = 'services';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''active'', ''suspended'', ''pending'')',
    '(status = ''active'' OR status = ''suspended'' OR status = ''pending'')')
    WHERE type = 'index' AND name = 'services_expiry';
UPDATE sqlite_schema SET sql = replace(sql, 'period_months IN (1, 3, 6, 12, 24, 36, 48, 60)',
    '(period_months = 1 OR period_months = 3 OR period_months = 6 OR period_months = 12 OR period_months = 24 OR period_months = 36 OR period_months = 48 OR period_months = 60)')
    WHERE type = 'table' AND name = 'cart_items';
UPDATE sqlite_schema SET sql = replace(sql, 'period_months IN (1, 3, 6, 12, 24, 36, 48, 60)',
    '(period_months = 1 OR period_months = 3 OR period_months = 6 OR period_months = 12 OR period_months = 24 OR period_months = 36 OR period_months = 48 OR period_months = 60)')
    WHERE type = 'table' AND name = 'free_credits';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''awaiting_payment'', ''paid'', ''cancelled'')',
    '(status = ''awaiting_payment'' OR status = ''paid'' OR status = ''cancelled'')')
    WHERE type = 'table' AND name = 'orders';
UPDATE sqlite_schema SET sql = replace(sql, 'period_months IN (1, 3, 6, 12, 24, 36, 48, 60)',
    '(period_months = 1 OR period_months = 3 OR period_months = 6 OR period_months = 12 OR period_months = 24 OR period_months = 36 OR period_months = 48 OR period_months = 60)')
    WHERE type = 'table' AND name = 'order_items';
UPDATE sqlite_schema SET sql = replace(sql, 'period_months IN (1, 3, 6, 12, 24, 36, 48, 60)',
    '(period_months = 1 OR period_months = 3 OR period_months = 6 OR period_months = 12 OR period_months = 24 OR period_months = 36 OR period_months = 48 OR period_months = 60)')
    WHERE type = 'table' AND name = 'service_renewals';
UPDATE sqlite_schema SET sql = replace(sql, 'step IN (''reminder_30'', ''reminder_7'', ''reminder_1'', ''renewal_failed'',
                                             ''suspended'', ''terminated'')',
    '(step = ''reminder_30'' OR step = ''reminder_7'' OR step = ''reminder_1'' OR step = ''renewal_failed'' OR step = ''suspended'' OR step = ''terminated'')')
    WHERE type = 'table' AND name = 'billing_steps';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''credited'', ''unmatched'', ''ignored'')',
    '(status = ''credited'' OR status = ''unmatched'' OR status = ''ignored'')')
    WHERE type = 'table' AND name = 'bank_entries';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''pending'', ''cancelled'', ''rejected'', ''approved'',
                                                        ''exported'', ''paid'')',
    '(status = ''pending'' OR status = ''cancelled'' OR status = ''rejected'' OR status = ''approved'' OR status = ''exported'' OR status = ''paid'')')
    WHERE type = 'table' AND name = 'withdrawals';
UPDATE sqlite_schema SET sql = replace(sql, 'method IN (''card'', ''wallet'', ''paypal'', ''crypto'', ''bank_transfer'')',
    '(method = ''card'' OR method = ''wallet'' OR method = ''paypal'' OR method = ''crypto'' OR method = ''bank_transfer'')')
    WHERE type = 'table' AND name = 'payments';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''pending'', ''succeeded'', ''failed'', ''canceled'')',
    '(status = ''pending'' OR status = ''succeeded'' OR status = ''failed'' OR status = ''canceled'')')
    WHERE type = 'table' AND name = 'payments';
UPDATE sqlite_schema SET sql = replace(sql, 'purpose IN (''topup'', ''order'', ''renewals'')',
    '(purpose = ''topup'' OR purpose = ''order'' OR purpose = ''renewals'')')
    WHERE type = 'table' AND name = 'payments';
UPDATE sqlite_schema SET sql = replace(sql, 'audience IN (''billing'', ''members'', ''admins'')',
    '(audience = ''billing'' OR audience = ''members'' OR audience = ''admins'')')
    WHERE type = 'table' AND name = 'notifications';
UPDATE sqlite_schema SET sql = replace(sql, 'method IN (''card'', ''wallet'', ''paypal'', ''bank_transfer'')',
    '(method = ''card'' OR method = ''wallet'' OR method = ''paypal'' OR method = ''bank_transfer'')')
    WHERE type = 'table' AND name = 'refund_requests';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''requested'', ''cancelled'', ''rejected'', ''approved'', ''paid'',
                                                        ''failed'')',
    '(status = ''requested'' OR status = ''cancelled'' OR status = ''rejected'' OR status = ''approved'' OR status = ''paid'' OR status = ''failed'')')
    WHERE type = 'table' AND name = 'refund_requests';
UPDATE sqlite_schema SET sql = replace(sql, 'series IN (''proforma'', ''invoice'', ''receipt'')',
    '(series = ''proforma'' OR series = ''invoice'' OR series = ''receipt'')')
    WHERE type = 'table' AND name = 'document_counters';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''proforma'', ''invoice'', ''credit_note'', ''receipt'')',
    '(kind = ''proforma'' OR kind = ''invoice'' OR kind = ''credit_note'' OR kind = ''receipt'')')
    WHERE type = 'table' AND name = 'documents';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''unpaid'', ''paid'', ''cancelled'')',
    '(status = ''unpaid'' OR status = ''paid'' OR status = ''cancelled'')')
    WHERE type = 'table' AND name = 'documents';
UPDATE sqlite_schema SET sql = replace(sql, 'buyer_kind IN (''person'', ''company'', ''public'')',
    '(buyer_kind = ''person'' OR buyer_kind = ''company'' OR buyer_kind = ''public'')')
    WHERE type = 'table' AND name = 'documents';
UPDATE sqlite_schema SET sql = replace(sql, 'vat_scheme IN (''domestic'', ''reverse_charge'', ''oss'', ''not_subject'')',
    '(vat_scheme = ''domestic'' OR vat_scheme = ''reverse_charge'' OR vat_scheme = ''oss'' OR vat_scheme = ''not_subject'')')
    WHERE type = 'table' AND name = 'documents';
UPDATE sqlite_schema SET sql = replace(sql, 'vat_mention IN (''none'', ''reverse_charge'', ''not_subject'', ''not_subject_eservice'')',
    '(vat_mention = ''none'' OR vat_mention = ''reverse_charge'' OR vat_mention = ''not_subject'' OR vat_mention = ''not_subject_eservice'')')
    WHERE type = 'table' AND name = 'documents';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''open'', ''answered'', ''waiting'', ''closed'')',
    '(status = ''open'' OR status = ''answered'' OR status = ''waiting'' OR status = ''closed'')')
    WHERE type = 'table' AND name = 'support_tickets';
UPDATE sqlite_schema SET sql = replace(sql, 'sla_warned IN (0, 1, 2)',
    '(sla_warned = 0 OR sla_warned = 1 OR sla_warned = 2)')
    WHERE type = 'table' AND name = 'support_tickets';
UPDATE sqlite_schema SET sql = replace(sql, 'author IN (''customer'', ''staff'', ''email'', ''chat'', ''system'')',
    '(author = ''customer'' OR author = ''staff'' OR author = ''email'' OR author = ''chat'' OR author = ''system'')')
    WHERE type = 'table' AND name = 'support_messages';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''waiting'', ''active'', ''closed'')',
    '(status = ''waiting'' OR status = ''active'' OR status = ''closed'')')
    WHERE type = 'table' AND name = 'chats';
UPDATE sqlite_schema SET sql = replace(sql, 'author_kind IN (''customer'', ''visitor'', ''staff'', ''system'')',
    '(author_kind = ''customer'' OR author_kind = ''visitor'' OR author_kind = ''staff'' OR author_kind = ''system'')')
    WHERE type = 'table' AND name = 'chat_messages';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''maintenance'', ''incident'', ''resolved'')',
    '(kind = ''maintenance'' OR kind = ''incident'' OR kind = ''resolved'')')
    WHERE type = 'table' AND name = 'announcements';
UPDATE sqlite_schema SET sql = replace(sql, 'target_kind IN (''product'', ''category'', ''service'')',
    '(target_kind = ''product'' OR target_kind = ''category'' OR target_kind = ''service'')')
    WHERE type = 'table' AND name = 'announcement_targets';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x INTEGER) STRICT;
DROP TABLE schema_cookie_bump;
