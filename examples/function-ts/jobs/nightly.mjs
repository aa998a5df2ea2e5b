// Run once a day by EventBridge Scheduler; the event is the schedule's `input`.
export const handler = async (event) => {
    console.log(JSON.stringify({ task: event.task, at: new Date().toISOString() }));
    return { done: event.task };
};
