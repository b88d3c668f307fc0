"""What approving a moderation workflow publishes (WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail publishes the page's latest revision, which may be a draft saved after the
review; here the revision the last task approved is published, so nothing unreviewed goes
live (and WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT restarts review after an edit).
Wagtail imports this while its models load: no model imports at module level.
"""


def publish_reviewed_revision(workflow_state, user=None):
    task_state = workflow_state.current_task_state
    revision = task_state.revision if task_state is not None else None
    if revision is None:
        revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user)
