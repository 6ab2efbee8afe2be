// The API at the network edge for screen tests (MSW): each test installs the answers it needs;
// an unexpected request fails the test.
import { setupServer } from 'msw/node';

export const server = setupServer();
