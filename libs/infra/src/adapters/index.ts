export { readLiveSubject } from './live-subject';
