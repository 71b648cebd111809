/** The worker thread's entry (piscina calls the default export once per task). */
import { runTask, type TaskInput, type TaskName, type TaskResult } from './tasks.ts';

export default function work<K extends TaskName>(message: {
  task: K;
  input: TaskInput<K>;
}): TaskResult<unknown> {
  return runTask(message.task, message.input);
}
