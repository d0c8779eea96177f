import type { Request, Response, Server } from 'restify';
import type { Config } from '../config';
import type { Installer } from '../domain/installer';
import type { Language } from '../domain/language';
import { isLoopbackUrl } from '../loopback';
import type { Logger } from '../logger';
import { learnerOf } from '../services/courses/courseJourney';
import type { Translator, TranslationVars } from '../services/i18n/translator';
import type { InstallerRepository } from '../services/installers/installerRepository';
import type { CourseProgress } from '../services/lms/lmsPort';
import { type CourseActionResult, DEV_COURSES_PATH, type LocalLms } from '../services/lms/localLms';
import type { LinkTokenFailure } from '../services/tokens/hmacLinkTokens';
import type { LinkTokens } from '../services/tokens/linkTokens';
import { guardedPage, type PageHandler } from './pages/guardedPage';
import { devToolDoor } from './devToolDoor';
import { escapeHtml, newNonce, type PageContext, renderPage } from './pages/layout';
import { problemStatus } from './pages/messagePage';
import { formField, languageField, otherLanguage, requestLanguage, sendPage } from './pages/pageRequest';

export interface DevCoursesDeps {
  config: Pick<Config, 'PUBLIC_URL' | 'DEV_COURSES'>;
  /** The local LMS; undefined when a remote LMS is in use (then there are no course pages here). */
  lms: LocalLms | undefined;
  installers: Pick<InstallerRepository, 'get'>;
  tokens: Pick<LinkTokens, 'check'>;
  translator: Translator;
  logger: Logger;
  /** A course was completed on the page (the course journey takes it from there). */
  onCourseCompleted: (installerId: string, courseId: string) => Promise<unknown>;
}

const ACTIONS = ['start', 'next', 'complete'] as const;
type CourseAction = (typeof ACTIONS)[number];

/**
 * Whether /dev/courses is served: only with the local LMS, and only on a development machine
 * (PUBLIC_URL on loopback) or when DEV_COURSES=true says so — anyone with a course link could
 * complete the course there. Without DEV_COURSES=true the pages also answer only requests opened
 * on this machine (devToolDoor).
 */
export function devCoursesEnabled(config: Pick<Config, 'PUBLIC_URL' | 'DEV_COURSES'>, lms: LocalLms | undefined): lms is LocalLms {
  return lms !== undefined && (config.DEV_COURSES === true || isLoopbackUrl(config.PUBLIC_URL));
}

/**
 * The local LMS's course pages, where the Start links of the chat's course list lead:
 * GET /dev/courses/<course>?token=… shows the course and its progress (in the installer's
 * language, or `lang`); POST /dev/courses/<course>/start|next|complete (the token in the form)
 * starts it, takes the next part, or completes it. The token is an opaque course link token:
 * no email or installer id in any URL.
 */
export function registerDevCourses(server: Server, deps: DevCoursesDeps): void {
  const { lms } = deps;
  if (!devCoursesEnabled(deps.config, lms)) return;
  const { translator, logger } = deps;
  const t = (language: Language, key: string, vars?: TranslationVars) => escapeHtml(translator.t(language, `courses:${key}`, vars));
  // the door first: a request from elsewhere gets a 404 without the page being looked at
  const guarded = (route: string, handler: PageHandler) =>
    devToolDoor(deps.config.DEV_COURSES === true, guardedPage({ translator, logger, area: 'courses' }, route, handler));

  const pageHref = (courseId: string, token: string, language: Language) =>
    `${DEV_COURSES_PATH}/${encodeURIComponent(courseId)}?token=${encodeURIComponent(token)}&lang=${language}`;

  function context(language: Language, switchHref: string): PageContext {
    return { translator, language, nonce: newNonce(), switchHref };
  }

  function sendProblem(res: Response, language: Language, status: number, reason: LinkTokenFailure | 'unknownCourse' | 'notEnrolled', switchHref: string): void {
    const ctx = context(language, switchHref);
    const heading = translator.t(language, 'courses:page.problem.heading');
    const body = `<div role="alert">\n<h1>${escapeHtml(heading)}</h1>\n<p>${t(language, `page.problem.${reason}`)}</p>\n</div>`;
    sendPage(res, status, ctx.nonce, renderPage(ctx, { title: heading, body, bodyClass: 'message--problem' }));
  }

  /** The installer the request's token is for; undefined once a problem page has been sent. */
  async function installerOf(req: Request, res: Response, token: string, language: Language | undefined): Promise<Installer | undefined> {
    const checked = await deps.tokens.check(token, 'course');
    const fallback = language ?? requestLanguage(req);
    if (!checked.ok) {
      logger.info({ purpose: 'course', reason: checked.reason }, 'course link refused');
      sendProblem(res, fallback, problemStatus(checked.reason), checked.reason, `${req.path()}?lang=${otherLanguage(fallback)}`);
      return undefined;
    }
    const installer = await deps.installers.get(checked.installerId);
    if (!installer) sendProblem(res, fallback, 400, 'invalid', `${req.path()}?lang=${otherLanguage(fallback)}`);
    return installer;
  }

  function statusText(language: Language, progress: CourseProgress): string {
    return t(language, `status.${progress.status}`, { percent: progress.percent });
  }

  function renderCourse(res: Response, language: Language, token: string, all: CourseProgress[], progress: CourseProgress, notice?: string): void {
    const ctx = context(language, pageHref(progress.course.id, token, otherLanguage(language)));
    const course = progress.course;
    const form = (action: CourseAction) =>
      `<form class="field" method="post" action="${escapeHtml(`${DEV_COURSES_PATH}/${encodeURIComponent(course.id)}/${action}`)}">` +
      `<input type="hidden" name="token" value="${escapeHtml(token)}"><input type="hidden" name="lang" value="${language}">` +
      `<button type="submit">${t(language, `page.${action}`)}</button></form>`;
    const actions =
      progress.status === 'completed'
        ? `<p>${t(language, 'page.backToChat')}</p>`
        : progress.status === 'not_started'
          ? form('start')
          : `${form('next')}\n${form('complete')}`;
    const others = all
      .map((p) => `<li><a href="${escapeHtml(pageHref(p.course.id, token, language))}">${escapeHtml(p.course.title[language])}</a> – ${statusText(language, p)}</li>`)
      .join('\n');
    const body = [
      notice ? `<div role="status"><p><strong>${notice}</strong></p></div>` : '',
      `<h1>${escapeHtml(course.title[language])}</h1>`,
      course.minutes ? `<p>${t(language, 'page.duration', { minutes: course.minutes })}</p>` : '',
      `<p><label for="progress">${t(language, 'page.progressLabel')}</label> <span id="course-status">${statusText(language, progress)}</span></p>`,
      `<progress id="progress" max="100" value="${progress.percent}">${progress.percent} %</progress>`,
      actions,
      `<h2>${t(language, 'page.yourCourses')}</h2>\n<ul>\n${others}\n</ul>`,
      `<p class="note">${t(language, 'page.devNote')}</p>`,
    ]
      .filter((part) => part !== '')
      .join('\n');
    sendPage(res, 200, ctx.nonce, renderPage(ctx, { title: course.title[language], body }));
  }

  server.get(
    `${DEV_COURSES_PATH}/:courseId`,
    guarded(`GET ${DEV_COURSES_PATH}`, async (req, res, page) => {
      const asked = languageField(req.query);
      const token = formField(req.query, 'token');
      const installer = await installerOf(req, res, token, asked);
      if (!installer) return;
      const language = asked ?? installer.language;
      page.language = language;
      const courseId = String(req.params.courseId ?? '');
      const all = await lms.progress(learnerOf(installer));
      const progress = all.find((p) => p.course.id === courseId);
      if (!progress) {
        sendProblem(res, language, 404, 'unknownCourse', `${req.path()}?token=${encodeURIComponent(token)}&lang=${otherLanguage(language)}`);
        return;
      }
      renderCourse(res, language, token, all, progress);
    }),
  );

  server.post(
    `${DEV_COURSES_PATH}/:courseId/:action`,
    guarded(`POST ${DEV_COURSES_PATH}`, async (req, res, page) => {
      const asked = languageField(req.body);
      const token = formField(req.body, 'token');
      const action = ACTIONS.find((a) => a === req.params.action);
      const courseId = String(req.params.courseId ?? '');
      const installer = await installerOf(req, res, token, asked);
      if (!installer) return;
      const language = asked ?? installer.language;
      page.language = language;
      const switchHref = pageHref(courseId, token, otherLanguage(language));
      if (!action) {
        sendProblem(res, language, 404, 'unknownCourse', switchHref);
        return;
      }
      const learner = learnerOf(installer);
      const result: CourseActionResult =
        action === 'start' ? await lms.start(learner, courseId) : action === 'next' ? await lms.advance(learner, courseId) : await lms.complete(learner, courseId);
      if (result.kind === 'unknownCourse' || result.kind === 'notEnrolled') {
        sendProblem(res, language, result.kind === 'unknownCourse' ? 404 : 409, result.kind, switchHref);
        return;
      }
      if (result.kind === 'done' && action === 'complete') {
        try {
          await deps.onCourseCompleted(installer.id, courseId);
        } catch (error) {
          // the completion is recorded in the LMS; the course journey sees it again on the next report
          logger.error({ courseId, err: error instanceof Error ? error.name : typeof error }, 'course completion not taken by the course journey');
        }
      }
      const notice =
        result.kind === 'alreadyCompleted'
          ? t(language, 'page.alreadyCompleted')
          : action === 'start'
            ? t(language, 'page.started')
            : action === 'next'
              ? t(language, 'page.advanced', { percent: result.progress.percent })
              : t(language, 'page.completed');
      renderCourse(res, language, token, await lms.progress(learner), result.progress, notice);
    }),
  );
}
