// camt053.mjs - camt.053.001.08 statements for the bank tests, and an
// independent ISO 11649 (RF) check of references.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** entries: [{amount: '12.34', currency: 'EUR', credit: true, ref: 'BANK-1',
 * structured: 'RF..', text: 'free text', booked: true, debtor: 'Name'}] */
export function statement({ id = 'STMT-1', iban = 'IT60X0542811101000000123456', entries }) {
  const ntry = entries.map((e) => `
      <Ntry>
        <Amt Ccy="${e.currency || 'EUR'}">${e.amount}</Amt>
        <CdtDbtInd>${e.credit === false ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <Sts><Cd>${e.booked === false ? 'PDNG' : 'BOOK'}</Cd></Sts>
        <BookgDt><Dt>2026-11-20</Dt></BookgDt>
        <AcctSvcrRef>${esc(e.ref)}</AcctSvcrRef>
        <BkTxCd><Prtry><Cd>NTRF</Cd></Prtry></BkTxCd>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>${esc(e.debtor || 'Mario Rossi')}</Nm></Pty></Dbtr>
            <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>${e.text ? `<Ustrd>${esc(e.text)}</Ustrd>` : ''}${e.structured ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${esc(e.structured)}</Ref></CdtrRefInf></Strd>` : ''}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${esc(id)}-MSG</MsgId><CreDtTm>2026-11-20T18:00:00+00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${esc(id)}</Id>
      <Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>${ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}

/** ISO 11649: "RF" + 2 digits + body, mod 97 of body + "RF" + digits == 1. */
export function rfValid(ref) {
  if (!/^RF\d\d[A-Z0-9]{1,21}$/.test(ref)) return false;
  const moved = ref.slice(4) + ref.slice(0, 4);
  const digits = [...moved].map((c) => parseInt(c, 36).toString()).join('');
  return BigInt(digits) % 97n === 1n;
}

/** The reference as people type it: lower case, in groups of four. */
export const sloppy = (ref) => ref.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
