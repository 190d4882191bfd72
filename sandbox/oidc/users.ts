/**
 * The sandbox's people. Their passwords are demo passwords, printed by `npm run demo`: they guard
 * nothing but a loopback provider. Groups match the sandbox's RBAC (viewers, oncall,
 * release-managers); dana is in two groups so impersonation with several groups gets tested.
 */
export interface DemoUser {
  username: string;
  password: string;
  name: string;
  groups: string[];
}

export const demoUsers: readonly DemoUser[] = [
  { username: 'alice', password: 'alice-aviary', name: 'Alice (release manager)', groups: ['release-managers'] },
  { username: 'bob', password: 'bob-aviary', name: 'Bob (release manager)', groups: ['release-managers'] },
  { username: 'dana', password: 'dana-aviary', name: 'Dana (release manager, on call)', groups: ['release-managers', 'oncall'] },
  { username: 'carol', password: 'carol-aviary', name: 'Carol (on call)', groups: ['oncall'] },
  { username: 'victor', password: 'victor-aviary', name: 'Victor (viewer)', groups: ['viewers'] },
];

export const findUser = (username: string): DemoUser | undefined => demoUsers.find((u) => u.username === username);
