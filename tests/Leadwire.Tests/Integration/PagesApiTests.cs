using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>Registering pages: tokens checked with Meta, encrypted at rest, never returned; forms synced with questions.</summary>
public sealed class PagesApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Register_ValidToken_SyncsFormsAndKeepsTokenSecret(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, registerPage: false);
        var second = await s.Meta.CreateFormAsync(new CreateFormRequest
        {
            PageId = s.Page.Id, Name = "Insurance quote", Status = "ARCHIVED",
            Questions = [new QuestionRequest { Type = "EMAIL" }, new QuestionRequest { Type = "CUSTOM", Key = "car_year", Label = "Car year" }],
        });

        using var response = await s.RegisterPageAsync(s.Page.AccessToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/pages/{s.Page.Id}", response.Headers.Location?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(s.Page.AccessToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", text, StringComparison.Ordinal);

        var page = JsonDocument.Parse(text).RootElement;
        Assert.Equal("active", page.GetProperty("status").GetString());
        var forms = page.GetProperty("forms").EnumerateArray().ToList();
        Assert.Equal([s.Form.Id, second.Id], forms.Select(f => f.GetProperty("form_id").GetString()).Order());
        Assert.Equal("ARCHIVED", forms.Single(f => f.GetProperty("form_id").GetString() == second.Id).GetProperty("status").GetString());

        var stored = await s.Leadwire.QueryAsync(db => db.Pages.Include(p => p.Forms).SingleAsync());
        Assert.DoesNotContain(s.Page.AccessToken, stored.AccessTokenProtected, StringComparison.Ordinal);
        var questions = JsonDocument.Parse(stored.Forms.Single(f => f.MetaFormId == second.Id).QuestionsJson).RootElement;
        Assert.Contains(questions.EnumerateArray(), q => q.GetProperty("key").GetString() == "car_year" && q.GetProperty("type").GetString() == "CUSTOM");

        var listed = await s.Leadwire.Api.GetStringAsync("/api/v1/pages");
        Assert.DoesNotContain(s.Page.AccessToken, listed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Register_TokenMetaRejects_422AndNothingSaved(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, registerPage: false);
        using var response = await s.RegisterPageAsync("EAAnot-a-real-token");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("190", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await s.Leadwire.QueryAsync(db => db.Pages.CountAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Register_InvalidBody_ValidationProblemNamesTheFields(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, registerPage: false);
        using var response = await s.Leadwire.Api.PostAsJsonAsync("/api/v1/pages", new { page_id = "abc", name = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("page_id", out _));
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("access_token", out _));

        using var anonymous = await s.Leadwire.Anonymous.PostAsJsonAsync("/api/v1/pages", new { page_id = s.Page.Id, name = "x", access_token = s.Page.AccessToken });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Register_MetaBrieflyUnavailable_SavesPageAndSyncsFormsInBackground(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, registerPage: false);
        await s.Meta.AddFaultAsync(new FaultRequest { Match = "leadgen_forms", ErrorCode = 2, HttpStatus = 503, Count = 1 });

        using var response = await s.RegisterPageAsync(s.Page.AccessToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("background", page.GetProperty("forms_sync_error").GetString(), StringComparison.Ordinal);

        await Eventually.ReturnsAsync(() => s.Leadwire.QueryAsync(db => db.Forms.CountAsync()), n => n == 1, TimeSpan.FromSeconds(20), "the form to sync");
    }
}
