from django.http import JsonResponse

from igny8.system.health import health_report


def healthz(request):
    report, status = health_report()
    return JsonResponse(report, status=status)
