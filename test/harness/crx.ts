/**
 * A small CRX3 reader and verifier for tests, written from the format's definition
 * (https://chromium.googlesource.com/chromium/src/+/main/components/crx_file/crx3.proto):
 *   "Cr24" | version 3 (uint32 LE) | header size (uint32 LE) | CrxFileHeader (protobuf) | zip
 * Each proof signs "CRX3 SignedData\x00" + uint32 LE size of signed_header_data + signed_header_data + zip.
 */
import { createPublicKey, verify } from 'node:crypto';
import { extensionIdFromBytes, extensionIdFromPublicKey } from '../../scripts/kit.ts';

interface Field {
  number: number;
  /** Length-delimited fields only; the CRX header has no others that matter here. */
  bytes?: Buffer;
}

/** Protobuf wire format, as far as the CRX header needs: varints and length-delimited fields. */
function readFields(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= buffer.length) throw new Error('CRX header: truncated varint');
      const byte = buffer[at++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  while (at < buffer.length) {
    const key = varint();
    const wireType = key & 7;
    const number = Math.floor(key / 8);
    if (wireType === 0) {
      varint();
      fields.push({ number });
    } else if (wireType === 2) {
      const length = varint();
      if (at + length > buffer.length) throw new Error('CRX header: field runs past the end');
      fields.push({ number, bytes: buffer.subarray(at, at + length) });
      at += length;
    } else {
      throw new Error(`CRX header: unexpected wire type ${wireType}`);
    }
  }
  return fields;
}

const field = (fields: Field[], number: number): Buffer | undefined => fields.find((f) => f.number === number)?.bytes;

export interface VerifiedCrx {
  /** The ID the signed data names, a-p encoded; equal to the ID of the key that signed it. */
  id: string;
  publicKeyDer: Buffer;
  zip: Buffer;
}

/** Checks a CRX3 file's framing, its RSA-SHA256 signature and that its signed ID is its key's; throws if any fails. */
export function verifyCrx3(crx: Buffer): VerifiedCrx {
  if (crx.subarray(0, 4).toString('latin1') !== 'Cr24') throw new Error('not a CRX: no "Cr24" magic');
  const version = crx.readUInt32LE(4);
  if (version !== 3) throw new Error(`CRX version ${version}, not 3`);
  const headerSize = crx.readUInt32LE(8);
  const header = readFields(crx.subarray(12, 12 + headerSize));
  const zip = crx.subarray(12 + headerSize);

  const signedHeaderData = field(header, 10000);
  if (!signedHeaderData) throw new Error('CRX header has no signed_header_data');
  const crxId = field(readFields(signedHeaderData), 1);
  if (!crxId || crxId.length !== 16) throw new Error('signed_header_data has no 16-byte crx_id');
  const id = extensionIdFromBytes(crxId);

  const size = Buffer.alloc(4);
  size.writeUInt32LE(signedHeaderData.length);
  const signed = Buffer.concat([Buffer.from('CRX3 SignedData\x00', 'latin1'), size, signedHeaderData, zip]);
  const rsaProofs = header.filter((f) => f.number === 2 && f.bytes).map((f) => readFields(f.bytes ?? Buffer.alloc(0)));
  // Chrome requires a proof by the key the ID derives from (crx_verifier.cc); others may sit beside it.
  for (const proof of rsaProofs) {
    const publicKeyDer = field(proof, 1);
    const signature = field(proof, 2);
    if (!publicKeyDer || !signature || extensionIdFromPublicKey(publicKeyDer) !== id) continue;
    const key = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' });
    if (!verify('sha256', signed, key, signature)) throw new Error(`the RSA-SHA256 signature of ${id} does not verify`);
    return { id, publicKeyDer, zip };
  }
  throw new Error(`no RSA proof by the key of the signed ID ${id}`);
}
