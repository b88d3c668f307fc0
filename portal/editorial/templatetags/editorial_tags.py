from django import template

register = template.Library()


@register.inclusion_tag("editorial/translation_review_panel.html", takes_context=True)
def translation_review_panel(context, page):
    workflow_state = page.current_workflow_state
    return {
        "page": page,
        "workflow": page.get_workflow(),
        "workflow_state": workflow_state,
        "task": workflow_state.current_task_state.task if workflow_state else None,
        "csrf_token": context.get("csrf_token"),
    }
