import { ActivityTypes, type TurnContext } from 'botbuilder';
import { photosOf } from '../photos';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import { macFromQrPayload, parseMacAddress, parsePosition } from '../../domain/station';
import { SAME_SPOT_WINDOW_MS } from '../../domain/sameSpot';
import { qrPhotoProblemKey, type QrImageReader } from '../../services/stations/qrImageReader';
import type { StationService } from '../../services/stations/stationService';
import { addressKey } from '../../services/limits/clientAddress';
import { type Limits, RateLimitedError, type Refusal } from '../../services/limits/limits';
import { limitTextFor } from '../../services/limits/waitText';
import { clientAddressOf } from '../turnClientAddress';
import { uploadCountedOnArrival } from '../uploadsCountedOnArrival';
import { pageMessage } from '../cards';
import { sendWithLead } from '../leadText';
import { type Phrases, turnLanguage } from '../turnLanguage';
import { type Choice, choiceExpectation, chosenValue } from './questionDialog';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { STOP } from './registrationIds';

export const STATION_DIALOG = 'station';
/** Adaptive Card actions that open the station pages as Teams dialogs (task modules). */
export const TEAMS_SCAN_ACTION = 'scanStation';
export const TEAMS_LOCATE_ACTION = 'locateStation';
/** Photos read from one message at most (each one is a decode); the rest are ignored, and the user is told. */
export const MAX_PHOTOS_PER_MESSAGE = 3;
const HOUR_MS = 60 * 60 * 1000;

interface StationState {
  installerId: string;
  /** Set once the station is identified; the next answer is its position. */
  mac?: string;
  /** How many stations the installer had localized when this step was last shown (to notice the page's work). */
  known: number;
}

const DONE: ReadonlyArray<Choice<'done'>> = [
  { value: 'done', label: 'chat:station.doneButton', synonyms: ['ferdig', 'done', 'finished', 'slutt'] },
  { value: 'done', label: 'chat:station.noMore' },
  { value: 'done', label: 'chat:station.thatsAll' },
];

/** "Another one", "en til": more stations, i.e. this step (found playing it through: "another one" was read as "change my email"). */
const ANOTHER: ReadonlyArray<Choice<'onSite'>> = [
  { value: 'onSite', label: 'chat:station.anotherOne', synonyms: ['neste', 'another', 'next'] },
  { value: 'onSite', label: 'chat:station.oneMore' },
  { value: 'onSite', label: 'chat:station.nextOne' },
];

/**
 * "Samme sted som forrige", "same spot": at the position question, the position of the station
 * localized last (a garage of chargers side by side). The phrases are in the locale files; typed
 * in a hurry ("same som forrige") they are still this, not what the model makes of the typo.
 */
const SAME_SPOT: ReadonlyArray<Choice<'sameSpot'>> = [
  ...['spot', 'place', 'position', 'location', 'asBefore', 'asLast', 'asLastTime', 'asPrevious'].map(
    (phrase): Choice<'sameSpot'> => ({ value: 'sameSpot', label: `chat:station.sameSpot.${phrase}`, wordTypos: true }),
  ),
  // "samme" / "same" alone (it was read as the courses question); not inside a sentence ("is it the same")
  { value: 'sameSpot', label: 'chat:station.sameSpot.alone', wholeMessage: true },
];

/**
 * "Ingen dekning her", "gps funker ikke", "står i kjelleren", "no signal": GPS or the place named
 * (a word of it is enough: at this step it is about the position). Answered with how to give the
 * position anyway (typed coordinates from a map, "same spot"), and the question again.
 */
const NO_SIGNAL: ReadonlyArray<Choice<'noSignal'>> = ['gps', 'coverage', 'basement', 'basementDefinite', 'carPark', 'carParkDefinite', 'underground', 'noPosition'].map(
  (phrase) => ({ value: 'noSignal', label: `chat:station.noSignal.${phrase}`, wordTypos: true }),
);

/**
 * On site: identify the station (scan page, or type its MAC address / paste the QR text), then
 * pinpoint it (location page, or type coordinates). Any number of stations; "done" ends.
 * Plain text works all the way; the pages (Teams dialogs in Teams) are a convenience.
 */
export class StationDialog extends Dialog<StationState> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly stations: StationService,
    private readonly qrReader: QrImageReader,
    /**
     * Each photo read takes an `uploads` count (per installer, and per client address in web chat), as the
     * scan page does; except a file the web chat's upload route has counted already (once per photo).
     */
    private readonly limits: Pick<Limits, 'takeAll'>,
  ) {
    super(STATION_DIALOG);
  }

  /**
   * "Done", or a station's MAC address, QR text or position (which the step reads itself); "I'm on site" is this step;
   * "same spot as the last one" (before the station is known, told that it comes first); "no GPS here".
   */
  expects(_context: TurnContext, _state: unknown): PromptExpectation {
    // "same spot" before the station is known as well: it is told the station comes first (else "samme" read as anything)
    const choices = [...DONE, ...ANOTHER, ...SAME_SPOT, ...NO_SIGNAL];
    const { expectation, intents } = choiceExpectation<'done' | 'onSite' | 'sameSpot' | 'noSignal'>(this.phrases.translator, choices, ['station']);
    return { expectation, intents: { ...intents, onSite: 'onSite' } };
  }

  override async beginDialog(dc: DialogContext, options?: { installerId: string }): Promise<DialogTurnResult> {
    const installerId = options!.installerId;
    const state: StationState = { installerId, known: await this.count(installerId) };
    dc.activeDialog!.state = state;
    // the message that opened the step (after "ferdig", the next station's MAC address or photo straight away) is its answer
    if (this.identifiesStation(dc.context)) return this.identify(dc.context, state);
    await this.askIdentify(dc.context, state);
    return Dialog.EndOfTurn;
  }

  /** A message that names a station: its MAC address or QR text, or photos of its QR code. */
  private identifiesStation(context: TurnContext): boolean {
    const { type, text } = context.activity;
    if (type !== ActivityTypes.Message) return false;
    if (!text?.trim()) return photosOf(context.activity).length > 0;
    return parseMacAddress(text).ok || macFromQrPayload(text) !== undefined;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as StationState;
    const context = dc.context;
    const known = await this.count(state.installerId);
    if (known > state.known) {
      // localized on the page (the notify path woke us): confirm it and go on with the next one
      const latest = (await this.stations.localized(state.installerId)).at(-1);
      state.known = known;
      state.mac = undefined;
      if (latest) await this.phrases.send(context, 'chat:station.localized', { mac: latest.mac, latitude: latest.latitude, longitude: latest.longitude });
      await this.askIdentify(context, state);
      return Dialog.EndOfTurn;
    }
    if (context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const text = context.activity.text ?? '';
    if (chosenValue(turnUnderstanding(context), DONE)) {
      await this.phrases.send(context, 'chat:station.finished', { count: known });
      return dc.endDialog(STOP);
    }
    const understood = turnUnderstanding(context);
    const onSite =
      (understood?.kind === 'intent' && understood.intent === 'onSite') ||
      (understood?.kind === 'answer' && understood.answer.kind === 'choice' && understood.answer.value === 'onSite');
    if (chosenValue(understood, NO_SIGNAL)) {
      // no GPS where the station stands: how to give its position anyway, then the open question again
      await sendWithLead(context, this.phrases, this.phrases.text(context, 'chat:station.howToPosition'), () => this.reask(context, state));
      return Dialog.EndOfTurn;
    }
    if (onSite && !state.mac) {
      // "stasjon", "jeg er på stedet" when asked which station: this is the step already; its question again, without a complaint
      // (at the position question, "ved garasjen" reads like it too: there the reason for coordinates helps more)
      await this.askIdentify(context, state);
      return Dialog.EndOfTurn;
    }
    if (!state.mac) return this.identify(context, state);
    if (chosenValue(understood, SAME_SPOT)) return this.localizeAtLast(context, state, state.mac);
    const position = parsePosition(text);
    const otherMac = position.ok ? undefined : parseMacAddress(text);
    if (otherMac?.ok) {
      // a MAC address where the position was asked: the same station (its position is still wanted), or another one instead
      const same = otherMac.mac === state.mac;
      state.mac = otherMac.mac;
      if (same) await sendWithLead(context, this.phrases, this.phrases.text(context, 'chat:station.sameStationAgain'), () => this.askPosition(context, state));
      else await this.askPosition(context, state);
      return Dialog.EndOfTurn;
    }
    if (!position.ok) {
      const problem = this.phrases.text(context, `chat:station.positionProblem.${position.problem}`);
      await sendWithLead(context, this.phrases, problem, () => this.askPosition(context, state));
      return Dialog.EndOfTurn;
    }
    await this.stations.localize(state.installerId, state.mac, position.position, false);
    await this.phrases.send(context, 'chat:station.localized', { mac: state.mac, ...position.position });
    return this.askNext(context, state);
  }

  /**
   * The answer to "which station?": photos of its QR code, its MAC address or QR text; "same spot"
   * or a position before it is known are told the station comes first; anything else gets what is
   * wrong with it as a MAC address. Then its position is asked for.
   */
  private async identify(context: TurnContext, state: StationState): Promise<DialogTurnResult> {
    const text = context.activity.text ?? '';
    const photos = photosOf(context.activity);
    if (photos.length > 0 && !text.trim()) return this.identifyFromPhotos(context, state, photos);
    const parsed = parseMacAddress(text);
    const mac = parsed.ok ? parsed.mac : macFromQrPayload(text);
    if (!mac) {
      const position = parsePosition(text);
      const looksLikePosition = position.ok || position.problem === 'rough';
      const stationFirst = chosenValue(turnUnderstanding(context), SAME_SPOT) ? 'chat:station.sameSpotStationFirst' : looksLikePosition ? 'chat:station.positionStationFirst' : undefined;
      const problem = this.phrases.text(context, stationFirst ?? `chat:station.macProblem.${parsed.ok ? 'not_hex' : parsed.problem}`);
      await sendWithLead(context, this.phrases, problem, () => this.askIdentify(context, state));
      return Dialog.EndOfTurn;
    }
    state.mac = mac;
    await this.askPosition(context, state);
    return Dialog.EndOfTurn;
  }

  /**
   * "Same spot as the last one": the station gets the position of the one localized last (within
   * the last few hours), said with that station and its coordinates, and how to correct it (the
   * MAC address again, then the right position: a station localized again gets its new position).
   * None to reuse: said, and the position question again.
   */
  private async localizeAtLast(context: TurnContext, state: StationState, mac: string): Promise<DialogTurnResult> {
    const last = await this.stations.lastLocalizedRecently(state.installerId, mac);
    if (!last) {
      const none = this.phrases.text(context, 'chat:station.sameSpotNone', { hours: SAME_SPOT_WINDOW_MS / HOUR_MS });
      await sendWithLead(context, this.phrases, none, () => this.askPosition(context, state));
      return Dialog.EndOfTurn;
    }
    // the position only: the device's accuracy was of the other station's reading
    const position = { latitude: last.latitude, longitude: last.longitude };
    await this.stations.localize(state.installerId, mac, position, false);
    await this.phrases.send(context, 'chat:station.sameSpotUsed', { mac, previous: last.mac, ...position });
    return this.askNext(context, state);
  }

  /** A station is recorded: the next one is asked for. */
  private async askNext(context: TurnContext, state: StationState): Promise<DialogTurnResult> {
    state.known = await this.count(state.installerId);
    state.mac = undefined;
    await this.askIdentify(context, state);
    return Dialog.EndOfTurn;
  }

  /**
   * A photo of the QR code sent in the chat (web chat upload, Teams): read it like the scan page
   * does, the first MAX_PHOTOS_PER_MESSAGE of a message only, each counted against `uploads`.
   * Over the limit at the first photo the turn ends with "try again in …" (the message middleware);
   * partway, what the photos read gave is said, then when to try again, then the question.
   */
  private async identifyFromPhotos(context: TurnContext, state: StationState, photos: Array<{ contentType?: string; contentUrl?: string }>): Promise<DialogTurnResult> {
    const photosRead = photos.slice(0, MAX_PHOTOS_PER_MESSAGE);
    if (photos.length > photosRead.length) {
      await this.phrases.send(context, 'limits:photosIgnored', { first: photosRead.length, count: photos.length - photosRead.length });
    }
    let answer = 'chat:station.noQrInPhoto';
    for (const [index, photo] of photosRead.entries()) {
      const refused = await this.countUpload(context, state, photo);
      if (refused && index === 0) throw new RateLimitedError('uploads', refused.retryAfterSeconds);
      if (refused) {
        const wait = limitTextFor(this.phrases.translator, turnLanguage(context), 'limits:uploads', refused.retryAfterSeconds);
        await sendWithLead(context, this.phrases, `${this.phrases.text(context, answer)}\n\n${wait}`, () => this.askIdentify(context, state));
        return Dialog.EndOfTurn;
      }
      const read = await this.qrReader.read(photo, context.activity.serviceUrl);
      const mac = read.ok ? macFromQrPayload(read.text) : undefined;
      if (mac) {
        state.mac = mac;
        await this.askPosition(context, state);
        return Dialog.EndOfTurn;
      }
      // the first photo's problem is the answer (a bad image has its own, clearer one)
      if (index === 0 && !read.ok) answer = qrPhotoProblemKey(read.problem);
    }
    await sendWithLead(context, this.phrases, this.phrases.text(context, answer), () => this.askIdentify(context, state));
    return Dialog.EndOfTurn;
  }

  /** One `uploads` count for a photo about to be decoded, unless the upload route counted it; the refusal when over the limit. */
  private async countUpload(context: TurnContext, state: StationState, photo: object): Promise<Refusal | undefined> {
    if (uploadCountedOnArrival(photo)) return undefined;
    const address = clientAddressOf(context.activity);
    const verdict = await this.limits.takeAll([
      { name: 'uploads', key: `installer:${state.installerId}` },
      ...(address === undefined ? [] : [{ name: 'uploads' as const, key: addressKey(address) }]),
    ]);
    return verdict.allowed ? undefined : verdict;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.reask(context, instance.state as StationState);
  }

  /** The question open: where the identified station is, else which station. */
  private async reask(context: TurnContext, state: StationState): Promise<void> {
    if (state.mac) await this.askPosition(context, state);
    else await this.askIdentify(context, state);
  }

  private async count(installerId: string): Promise<number> {
    return this.stations.localizedCount(installerId);
  }

  private async askIdentify(context: TurnContext, state: StationState): Promise<void> {
    const key = state.known === 0 ? 'chat:station.identify' : 'chat:station.identifyNext';
    await this.sendWithPage(context, this.phrases.text(context, key), 'chat:station.scanButton', { action: TEAMS_SCAN_ACTION }, () =>
      this.stations.scanPageLink(state.installerId),
    );
  }

  private async askPosition(context: TurnContext, state: StationState): Promise<void> {
    const mac = state.mac!;
    await this.sendWithPage(context, this.phrases.text(context, 'chat:station.where', { mac }), 'chat:station.locateButton', { action: TEAMS_LOCATE_ACTION, mac }, () =>
      this.stations.locationPageLink(state.installerId, mac),
    );
  }

  /** The question, with a button that opens the page (a Teams dialog in Teams, a browser tab elsewhere) and "done". */
  private async sendWithPage(context: TurnContext, text: string, buttonKey: string, teamsDialog: Record<string, string>, link: () => Promise<string>): Promise<void> {
    const button = { title: this.phrases.text(context, buttonKey), url: link, teamsDialog };
    await context.sendActivity(await pageMessage(context, this.phrases, text, button, [this.phrases.text(context, 'chat:station.doneButton')]));
  }
}
