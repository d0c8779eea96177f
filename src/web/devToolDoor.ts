import type { Request, Response } from 'restify';
import { isRequestFromThisMachine } from '../loopback';

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * The door of a development tool (/dev/mail, /dev/courses): the page answers only a request opened
 * on this machine (loopback TCP peer, no proxy header), unless the operator enabled the tool
 * explicitly (DEV_MAILBOX / DEV_COURSES). Anyone else gets a plain 404, as if the route did not
 * exist: a container started with the localhost PUBLIC_URL default must not show its mailbox to
 * the network.
 */
export function devToolDoor(explicitlyEnabled: boolean, handler: Handler): Handler {
  return async (req, res) => {
    if (!explicitlyEnabled && !isRequestFromThisMachine(req)) {
      res.send(404);
      return;
    }
    await handler(req, res);
  };
}
