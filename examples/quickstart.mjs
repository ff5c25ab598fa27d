// `npm start`: sign a launch the way VK does, verify it the way a back end
// must, and show what a tampered launch gets. Uses the built package by name.
import { signLaunchParams, VkAuthError, verifyLaunchParams } from 'vk-miniapp-auth';

const secret = 'dev-secret-for-the-quickstart';
const launch = await signLaunchParams(
  {
    vk_user_id: 494075,
    vk_app_id: 6736218,
    vk_ts: Math.floor(Date.now() / 1000),
    vk_platform: 'desktop_web',
    vk_language: 'ru',
    vk_access_token_settings: 'friends,photos',
    vk_is_app_user: 1,
  },
  secret,
);
console.log(`A launch URL, as VK would open it:\n  https://app.example/?${launch}\n`);

const authorization = `Bearer ${launch}`;
const params = await verifyLaunchParams(authorization, { secret, appId: 6736218 });
console.log('Verified from "Authorization: Bearer <query>":');
console.log(
  `  vk_user_id=${params.vk_user_id} vk_platform=${params.vk_platform} scopes=${params.vk_access_token_settings}\n`,
);

const attempts = [
  ['another user id', authorization.replace('vk_user_id=494075', 'vk_user_id=1')],
  ['a second vk_user_id appended', `${authorization}&vk_user_id=1`],
  ['the wrong secret', authorization, 'not-the-secret'],
];
for (const [what, input, wrongSecret] of attempts) {
  try {
    await verifyLaunchParams(input, { secret: wrongSecret ?? secret, appId: 6736218 });
    console.log(`  ${what}: accepted (this should never happen)`);
    process.exitCode = 1;
  } catch (error) {
    if (!VkAuthError.is(error)) throw error;
    console.log(`Refused, ${what}: ${error.status} ${error.code}\n  ${error.message}`);
  }
}
