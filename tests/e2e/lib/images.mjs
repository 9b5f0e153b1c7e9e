// images.mjs - real, small images made here for the logo tests: a PNG (zlib
// from node, CRC-32 computed below) of any size and colour, and a baseline
// JPEG of one 8x8 grey block (one-code Huffman tables), both decodable by a
// browser; and fakes that only look like them.
import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An RGB PNG of width x height filled with [r, g, b]. */
export function makePng(width, height, [r, g, b] = [200, 30, 60]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A baseline greyscale JPEG, 8x8, mid grey: DC difference 0 and an EOB. */
export function makeJpeg() {
  const seg = (marker, body) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  const dqt = seg(0xdb, Buffer.from([0x00, ...new Array(64).fill(1)]));
  const sof = seg(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
  // One code of length 1 in each table: DC category 0, AC symbol 0x00 (EOB).
  const dhtDc = seg(0xc4, Buffer.from([0x00, 1, ...new Array(15).fill(0), 0x00]));
  const dhtAc = seg(0xc4, Buffer.from([0x10, 1, ...new Array(15).fill(0), 0x00]));
  const sos = seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  return Buffer.concat([Buffer.from([0xff, 0xd8]), dqt, sof, dhtDc, dhtAc, sos, Buffer.from([0x3f, 0xff, 0xd9])]);
}

/** Not images, whatever their names say. */
export const fakes = {
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  text: Buffer.from('just some text renamed to logo.png'),
  gif: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  pngSignatureOnly: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('<html>hello</html>')]),
  jpegSoiOnly: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
};
