import { checkPosition, macFromQrPayload, parseMacAddress, parsePosition, type MacProblem, type PositionProblem } from '../../src/domain/station';

describe('parseMacAddress', () => {
  it.each([
    ['0024:B100:0002:9F81', '0024:B100:0002:9F81'],
    ['0024:b100:0002:9f81', '0024:B100:0002:9F81'],
    ['00:24:B1:00:00:02:9F:81', '0024:B100:0002:9F81'],
    ['00-24-b1-00-00-02-9f-81', '0024:B100:0002:9F81'],
    ['0024B10000029F81', '0024:B100:0002:9F81'],
    ['  0024 B100 0002 9F81 ', '0024:B100:0002:9F81'],
    ['MAC: 0024:B100:0002:9F81', '0024:B100:0002:9F81'],
    ['00:24:B1:02:9F:81', '0024:B102:9F81'],
    ['0024.b102.9f81', '0024:B102:9F81'],
    ['0024b1029f81', '0024:B102:9F81'],
  ])('reads %j as %s', (input, mac) => {
    expect(parseMacAddress(input)).toEqual({ ok: true, mac });
  });

  it.each<[string, MacProblem]>([
    ['', 'empty'],
    ['0024:B100:0002:9G81', 'not_hex'],
    ['stasjon nummer 4', 'not_hex'],
    ['laderen har ingen strøm', 'prose'],
    ['charger has no power', 'prose'],
    ['  kan jeg gjøre det senere  ', 'prose'],
    ['banan', 'not_hex'],
    ['0024:B100:0002', 'wrong_length'],
    ['0024:B100:0002:9F81:00', 'wrong_length'],
    ['0024B100029F8', 'wrong_length'],
    ['0000:0000:0000:0000', 'all_zero'],
    ['00:00:00:00:00:00', 'all_zero'],
    ['0124:B100:0002:9F81', 'multicast'],
    ['FF:FF:FF:FF:FF:FF', 'multicast'],
  ])('rejects %j: %s', (input, problem) => {
    expect(parseMacAddress(input)).toEqual({ ok: false, problem });
  });
});

describe('macFromQrPayload', () => {
  it.each([
    ['0024B10000029F81', '0024:B100:0002:9F81'],
    ['https://na.chargepoint.com/install?mac=0024B10000029F81&v=2', '0024:B100:0002:9F81'],
    ['https://example.test/s/0024%3AB100%3A0002%3A9F81', '0024:B100:0002:9F81'],
    ['CPF50 SN 1234567 MAC 00:24:B1:00:00:02:9F:81', '0024:B100:0002:9F81'],
  ])('finds the MAC in %j', (payload, mac) => {
    expect(macFromQrPayload(payload)).toBe(mac);
  });

  it.each(['https://www.chargepoint.com/', 'hello', ''])('finds nothing in %j', (payload) => {
    expect(macFromQrPayload(payload)).toBeUndefined();
  });
});

describe('parsePosition', () => {
  it.each([
    ['59.9139, 10.7522', 59.9139, 10.7522],
    ['59,9139 10,7522', 59.9139, 10.7522],
    ['59,9139; 10,7522', 59.9139, 10.7522],
    ['59.9139,10.7522', 59.9139, 10.7522],
    ['-33.8688 151.2093', -33.8688, 151.2093],
    ['https://www.google.com/maps/@60.3913,5.3221,17z', 60.3913, 5.3221],
    ['https://maps.example/?q=63.4305,10.3951', 63.4305, 10.3951],
  ])('reads %j', (input, latitude, longitude) => {
    expect(parsePosition(input)).toEqual({ ok: true, position: { latitude, longitude } });
  });

  it.each<[string, PositionProblem]>([
    ['', 'unreadable'],
    ['ved garasjen', 'unreadable'],
    ['95.1, 10.7', 'out_of_range'],
    ['59.9, 190.2', 'out_of_range'],
    ['0, 0', 'null_island'],
    // too few decimals to find a station by (found playing it through: "59.91 10.75" was recorded)
    ['59.91 10.75', 'rough'],
    ['59,913 10,7522', 'rough'],
    ['60 5', 'rough'],
    ['https://www.google.com/maps/@60.39,5.32,17z', 'rough'],
  ])('rejects %j: %s', (input, problem) => {
    expect(parsePosition(input)).toEqual({ ok: false, problem });
  });

  it('keeps a device accuracy and rounds to about ten centimetres', () => {
    expect(checkPosition(59.91391234567, 10.75224, 12.4)).toEqual({ ok: true, position: { latitude: 59.913912, longitude: 10.75224, accuracyMeters: 12 } });
  });
});
